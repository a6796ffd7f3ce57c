using System.Text;
using Cloud.Modules.Kernel.Cache;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>What every <see cref="ISharedCache"/> does: the in-process default and real memcached.</summary>
[TestFixture(typeof(InProcessCacheHarness))]
[TestFixture(typeof(MemcacheCacheHarness), Category = "Integration")]
public sealed class SharedCacheContractTests<THarness> where THarness : ISharedCacheHarness, new()
{
    private THarness _harness = default!;

    private ISharedCache Cache => _harness.Cache;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        await _harness.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        // Null when the set-up found a service missing (ignored on a developer's machine).
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    [Test]
    public async Task A_value_comes_back_byte_for_byte_until_it_is_deleted()
    {
        var value = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).Concat("\r\nEND\r\n"u8.ToArray()).ToArray();
        await Cache.SetAsync("a key with spaces/and\r\nnewlines", value, TimeSpan.FromMinutes(1), default);

        (await Cache.GetAsync("a key with spaces/and\r\nnewlines", default)).Should().Equal(value);

        await Cache.DeleteAsync("a key with spaces/and\r\nnewlines", default);
        (await Cache.GetAsync("a key with spaces/and\r\nnewlines", default)).Should().BeNull();
    }

    [Test]
    public async Task A_missing_key_reads_as_null_and_deleting_it_succeeds()
    {
        (await Cache.GetAsync("never-set", default)).Should().BeNull();
        await Cache.DeleteAsync("never-set", default);
    }

    [Test]
    public async Task The_last_write_of_a_key_wins()
    {
        await Cache.SetAsync("k", "one"u8.ToArray(), TimeSpan.FromMinutes(1), default);
        await Cache.SetAsync("k", "two"u8.ToArray(), TimeSpan.FromMinutes(1), default);
        Encoding.UTF8.GetString((await Cache.GetAsync("k", default))!).Should().Be("two");
    }

    [Test]
    public async Task An_entry_expires_after_its_time_to_live()
    {
        await Cache.SetAsync("short", "x"u8.ToArray(), TimeSpan.FromSeconds(1), default);
        await _harness.LetTimePassAsync(TimeSpan.FromSeconds(3));
        (await Cache.GetAsync("short", default)).Should().BeNull();
    }

    [Test]
    public async Task Many_concurrent_callers_each_read_their_own_value()
    {
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Cache.SetAsync($"k{i}", Encoding.UTF8.GetBytes($"v{i}"), TimeSpan.FromMinutes(1), default)));
        var read = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Cache.GetAsync($"k{i}", default)));
        read.Select(v => Encoding.UTF8.GetString(v!)).Should().Equal(Enumerable.Range(0, 200).Select(i => $"v{i}"));
    }
}
