using Cloud.Modules.Kernel;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>Every image store keeps the IImageStore contract: streaming, all or nothing, ranges, idempotent deletes (glance_store's DriverTests).</summary>
[TestFixture(typeof(FileImageStoreHarness))]
[TestFixture(typeof(SwiftImageStoreHarness), Category = "Integration")]
public sealed class ImageStoreContractTests<THarness> where THarness : IImageStoreHarness, new()
{
    private THarness _harness = default!;

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

    private static string NewId() => Guid.NewGuid().ToString();

    private static byte[] Data(int size) => Enumerable.Range(0, size).Select(i => (byte)(i * 7 % 256)).ToArray();

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    [Test]
    public async Task Added_data_reads_back_whole_with_its_size()
    {
        var id = NewId();
        var data = Data(3 * 1024 * 1024 + 17);

        var stored = await _harness.Store.AddAsync(id, new MemoryStream(data), default);

        stored.Size.Should().Be(data.Length);
        stored.Location.Should().StartWith(_harness.Store.Scheme);
        (await ReadAllAsync(await _harness.Store.OpenAsync(stored.Location, 0, null, default))).Should().Equal(data);
    }

    [Test]
    public async Task Range_reads_return_exactly_the_asked_bytes()
    {
        var data = Data(100_000);
        var stored = await _harness.Store.AddAsync(NewId(), new MemoryStream(data), default);

        (await ReadAllAsync(await _harness.Store.OpenAsync(stored.Location, 1000, 500, default))).Should().Equal(data[1000..1500]);
        (await ReadAllAsync(await _harness.Store.OpenAsync(stored.Location, 99_990, null, default))).Should().Equal(data[99_990..]);
        (await ReadAllAsync(await _harness.Store.OpenAsync(stored.Location, 0, 1, default))).Should().Equal(data[..1]);
    }

    [Test]
    public async Task A_broken_upload_stream_leaves_nothing_and_the_error_propagates()
    {
        var id = NewId();

        await FluentActions.Awaiting(() => _harness.Store.AddAsync(id, new BrokenStream(2_500_000), default)).Should().ThrowAsync<IOException>();

        (await _harness.HeldForAsync(id)).Should().BeEmpty();
        (await _harness.Store.AddAsync(id, new MemoryStream(Data(10)), default)).Size.Should().Be(10, "the id is free again");
    }

    [Test]
    public async Task A_cancelled_upload_leaves_nothing()
    {
        var id = NewId();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => _harness.Store.AddAsync(id, new MemoryStream(Data(1_000_000)), cancel.Token)).Should().ThrowAsync<OperationCanceledException>();

        (await _harness.HeldForAsync(id)).Should().BeEmpty();
    }

    [Test]
    public async Task Adding_data_under_an_existing_id_is_a_conflict_and_keeps_the_first()
    {
        var id = NewId();
        var stored = await _harness.Store.AddAsync(id, new MemoryStream(Data(100)), default);

        await FluentActions.Awaiting(() => _harness.Store.AddAsync(id, new MemoryStream(new byte[5]), default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Conflict);

        (await ReadAllAsync(await _harness.Store.OpenAsync(stored.Location, 0, null, default))).Should().Equal(Data(100));
    }

    [Test]
    public async Task Delete_removes_the_data_and_deleting_again_succeeds()
    {
        var id = NewId();
        var stored = await _harness.Store.AddAsync(id, new MemoryStream(Data(100)), default);

        await _harness.Store.DeleteAsync(stored.Location, default);
        await _harness.Store.DeleteAsync(stored.Location, default);

        (await _harness.HeldForAsync(id)).Should().BeEmpty();
        await FluentActions.Awaiting(() => _harness.Store.OpenAsync(stored.Location, 0, null, default))
            .Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.NotFound);
    }
}
