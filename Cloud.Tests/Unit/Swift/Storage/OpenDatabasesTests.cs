using Cloud.Modules.Swift.Storage.Db;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

/// <summary>Database handles kept open between uses: reuse, the file deleted or replaced, eviction by count and idleness.</summary>
public sealed class OpenDatabasesTests
{
    private TempDir _dir = null!;
    private StepClock _clock = null!;
    private List<Handle> _opened = null!;

    private string File1 => Path.Combine(_dir.Path, "one.db");

    [SetUp]
    public void Start()
    {
        _dir = new TempDir();
        _clock = new StepClock();
        _opened = [];
    }

    [TearDown]
    public void Clean() => _dir.Dispose();

    [Test]
    public void A_returned_handle_is_the_next_take_of_its_file()
    {
        File.WriteAllText(File1, "1");
        using var cache = Cache();

        var first = cache.Take(File1)!;
        cache.Return(first);
        var second = cache.Take(File1)!;

        second.Db.Should().BeSameAs(first.Db);
        _opened.Should().ContainSingle();
        second.IsCurrent().Should().BeTrue();
    }

    [Test]
    public void A_missing_file_has_no_handle()
    {
        using var cache = Cache();

        cache.Take(File1).Should().BeNull();
        _opened.Should().BeEmpty();
    }

    [Test]
    public void A_deleted_file_closes_its_kept_handle_and_has_none()
    {
        File.WriteAllText(File1, "1");
        using var cache = Cache();
        var lease = cache.Take(File1)!;
        cache.Return(lease);

        File.Delete(File1);

        lease.IsCurrent().Should().BeFalse();
        cache.Take(File1).Should().BeNull();
        _opened.Single().Disposed.Should().BeTrue();
    }

    [Test]
    public void A_file_replaced_under_its_name_gets_a_new_handle()
    {
        File.WriteAllText(File1, "1");
        using var cache = Cache();
        var old = cache.Take(File1)!;

        var copy = Path.Combine(_dir.Path, "copy.db");
        File.WriteAllText(copy, "2");
        File.Move(copy, File1, overwrite: true);
        old.IsCurrent().Should().BeFalse("the handle is on the replaced file");
        cache.Return(old);

        var now = cache.Take(File1)!;
        now.Db.Should().NotBeSameAs(old.Db);
        now.IsCurrent().Should().BeTrue();
        old.Db.Disposed.Should().BeTrue();
    }

    [Test]
    public void Beyond_capacity_the_least_recently_used_handle_is_closed()
    {
        var files = Enumerable.Range(0, 3).Select(i => Path.Combine(_dir.Path, $"{i}.db")).ToList();
        files.ForEach(f => File.WriteAllText(f, "x"));
        using var cache = Cache(capacity: 2);

        foreach (var file in files)
        {
            var lease = cache.Take(file)!;
            _clock.Advance(TimeSpan.FromSeconds(1));
            cache.Return(lease);
        }

        cache.KeptCount.Should().Be(2);
        _opened.Select(h => h.Disposed).Should().Equal(true, false, false);
    }

    [Test]
    public void Handles_idle_for_the_idle_time_are_closed_and_others_kept()
    {
        var other = Path.Combine(_dir.Path, "two.db");
        File.WriteAllText(File1, "1");
        File.WriteAllText(other, "2");
        using var cache = Cache();
        cache.Return(cache.Take(File1)!);
        _clock.Advance(TimeSpan.FromSeconds(6));
        cache.Return(cache.Take(other)!);
        _clock.Advance(TimeSpan.FromSeconds(5));

        cache.CloseIdle();

        cache.KeptCount.Should().Be(1);
        _opened.Select(h => h.Disposed).Should().Equal(true, false);
    }

    [Test]
    public void Disposing_closes_the_kept_handles_and_those_returned_afterwards()
    {
        var other = Path.Combine(_dir.Path, "two.db");
        File.WriteAllText(File1, "1");
        File.WriteAllText(other, "2");
        var cache = Cache();
        cache.Return(cache.Take(File1)!);
        var held = cache.Take(other)!;

        cache.Dispose();
        cache.Return(held);

        _opened.Should().HaveCount(2).And.OnlyContain(h => h.Disposed);
    }

    private OpenDatabases<Handle> Cache(int capacity = 8) =>
        new(file => File.Exists(file) ? Opened(new Handle()) : null, capacity, TimeSpan.FromSeconds(10), _clock);

    private Handle Opened(Handle handle)
    {
        _opened.Add(handle);
        return handle;
    }

    private sealed class Handle : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    // Elapsed time moves only when told (timers are the system's; the test calls CloseIdle itself).
    private sealed class StepClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
