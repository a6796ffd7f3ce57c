using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Kernel;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>The swift image store against a real cloudd swift cluster (proxy with tempauth, storage role).</summary>
[Category("Integration")]
public sealed class SwiftImageStoreTests
{
    private const int MiB = 1024 * 1024;
    private readonly SwiftImageStoreHarness _harness = new();
    private SwiftImageStore _segmenting = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        await _harness.StartAsync();
        _segmenting = _harness.NewStore(f => (f.SwiftStoreCreateContainerOnPut, f.SwiftStoreLargeObjectSize, f.SwiftStoreLargeObjectChunkSize) = (true, 2, 1));
    }

    [OneTimeTearDown]
    public async Task StopCluster() => await _harness.DisposeAsync();

    [Test]
    public async Task A_small_image_is_one_object_read_back_whole_and_in_ranges()
    {
        var id = Guid.NewGuid().ToString();
        var content = ForwardStream.Bytes(300_000);

        var stored = await _harness.Store.AddAsync(id, new MemoryStream(content), default);

        stored.Should().Be(new StoredImage($"swift+http://system/glance/{id}", content.Length));
        (await ListAsync(id)).Should().Equal(id);
        (await ReadAsync(_harness.Store, stored.Location, 0, null)).Should().Equal(content);
        (await ReadAsync(_harness.Store, stored.Location, 1000, 5000)).Should().Equal(content[1000..6000]);
        (await ReadAsync(_harness.Store, stored.Location, 299_990, null)).Should().Equal(content[299_990..]);
        (await ReadAsync(_harness.Store, stored.Location, 10, 0)).Should().BeEmpty();
        (await ReadAsync(_harness.Store, stored.Location, content.Length, null)).Should().BeEmpty("reading from the end reads nothing");
        var beyond = () => ReadAsync(_harness.Store, stored.Location, content.Length + 1, null);
        (await beyond.Should().ThrowAsync<CloudException>()).Which.Kind.Should().Be(CloudErrorKind.Invalid);
    }

    [Test]
    public async Task An_image_of_unknown_length_is_streamed_as_segments_under_a_manifest_and_reads_back_whole_and_in_ranges()
    {
        var id = Guid.NewGuid().ToString();
        var content = ForwardStream.Bytes(3 * MiB + 12345, seed: 2);

        var stored = await _segmenting.AddAsync(id, new ForwardStream(content), default);

        stored.Size.Should().Be(content.Length);
        (await ListAsync(id)).Should().Equal(id, $"{id}-00001", $"{id}-00002", $"{id}-00003", $"{id}-00004");
        (await ReadAsync(_segmenting, stored.Location, 0, null)).Should().Equal(content);
        (await ReadAsync(_segmenting, stored.Location, MiB - 10, 100)).Should().Equal(content[(MiB - 10)..(MiB + 90)], "a range spans two segments");
        (await ReadAsync(_segmenting, stored.Location, 3 * MiB, null)).Should().Equal(content[(3 * MiB)..]);
    }

    [Test]
    public async Task The_real_swift_client_sees_a_segmented_image_as_a_dynamic_large_object_and_downloads_it_whole()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        var id = Guid.NewGuid().ToString();
        var content = ForwardStream.Bytes(2 * MiB + 777, seed: 7);
        await _segmenting.AddAsync(id, new ForwardStream(content), default);

        (await SwiftCli("stat", "glance", id)).Stdout.Should().Contain($"Manifest: glance/{id}-").And.Contain($"Content Length: {content.Length}");
        await SwiftCli("download", "glance", id, "-o", id);

        (await File.ReadAllBytesAsync(Path.Combine(_harness.Cluster.Work, id))).Should().Equal(content);
    }

    [Test]
    public async Task A_known_size_at_or_past_the_large_object_size_is_segmented_and_a_smaller_one_is_not()
    {
        var (large, small) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var content = ForwardStream.Bytes(2 * MiB, seed: 3);

        await _segmenting.AddAsync(large, new MemoryStream(content), default);
        await _segmenting.AddAsync(small, new MemoryStream(content[..(MiB + 1)]), default);

        (await ListAsync(large)).Should().Equal(large, $"{large}-00001", $"{large}-00002");
        (await ListAsync(small)).Should().Equal(small);
    }

    [Test]
    public async Task An_empty_image_of_known_or_unknown_length_reads_back_empty()
    {
        var (unknown, known) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        var stored = await _segmenting.AddAsync(unknown, new ForwardStream([]), default);
        var storedKnown = await _segmenting.AddAsync(known, new MemoryStream(), default);

        (stored.Size, storedKnown.Size).Should().Be((0, 0));
        (await ReadAsync(_segmenting, stored.Location, 0, null)).Should().BeEmpty();
        (await ReadAsync(_segmenting, storedKnown.Location, 0, null)).Should().BeEmpty();
    }

    [Test]
    public async Task An_upload_whose_stream_fails_half_way_throws_that_failure_and_leaves_nothing_in_the_container()
    {
        var id = Guid.NewGuid().ToString();
        var content = ForwardStream.Bytes(4 * MiB, seed: 4);

        var act = () => _segmenting.AddAsync(id, new ForwardStream(content, failAfter: 2 * MiB + 500), default);

        await act.Should().ThrowAsync<IOException>().WithMessage("the client went away");
        (await ListAsync(id)).Should().BeEmpty();
    }

    [Test]
    public async Task A_cancelled_upload_leaves_nothing_in_the_container()
    {
        var id = Guid.NewGuid().ToString();
        using var cancel = new CancellationTokenSource();
        var input = new ForwardStream(ForwardStream.Bytes(4 * MiB, seed: 5), beforeRead: consumed =>
        {
            if (consumed >= 3 * MiB / 2)
            {
                cancel.Cancel();
            }
        });

        var act = () => _segmenting.AddAsync(id, input, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await ListAsync(id)).Should().BeEmpty();
    }

    [Test]
    public async Task Delete_removes_the_manifest_and_every_segment_and_deleting_again_succeeds()
    {
        var id = Guid.NewGuid().ToString();
        var stored = await _segmenting.AddAsync(id, new ForwardStream(ForwardStream.Bytes(2 * MiB + 1, seed: 6)), default);
        (await ListAsync(id)).Should().HaveCount(4);

        await _segmenting.DeleteAsync(stored.Location, default);

        (await ListAsync(id)).Should().BeEmpty();
        var open = () => _segmenting.OpenAsync(stored.Location, 0, null, default);
        (await open.Should().ThrowAsync<CloudException>()).Which.Kind.Should().Be(CloudErrorKind.NotFound);
        await _segmenting.DeleteAsync(stored.Location, default);
    }

    [Test]
    public async Task Adding_data_to_an_id_that_has_some_is_a_conflict()
    {
        var id = Guid.NewGuid().ToString();
        await _harness.Store.AddAsync(id, new MemoryStream([1, 2, 3]), default);

        var again = () => _harness.Store.AddAsync(id, new MemoryStream([4]), default);

        (await again.Should().ThrowAsync<CloudException>()).Which.Kind.Should().Be(CloudErrorKind.Conflict);
        (await ReadAsync(_harness.Store, $"swift+http://system/glance/{id}", 0, null)).Should().Equal(1, 2, 3);
    }

    [Test]
    public async Task A_missing_container_is_a_clear_error_when_the_store_may_not_create_it()
    {
        var store = _harness.NewStore(f => f.SwiftStoreContainer = "not-there");

        var error = await AddFailsAsync(store);

        error.Message.Should().Contain("'not-there'").And.Contain("swift_store_create_container_on_put");
        (await store.ListAsync("not-there", "", default)).Should().BeEmpty("the container was not created");
    }

    [Test]
    public async Task A_wrong_key_is_a_clear_error_naming_the_user_and_the_flags()
    {
        var error = await AddFailsAsync(_harness.NewStore(f => f.SwiftStoreKey = "wrong"));

        error.Message.Should().Contain("system:root").And.Contain("swift_store_key").And.NotContain("wrong");
    }

    [Test]
    public async Task Reading_an_unknown_image_is_not_found_and_a_foreign_location_is_invalid()
    {
        var missing = () => _harness.Store.OpenAsync($"swift+http://system/glance/{Guid.NewGuid()}", 0, null, default);
        var foreign = () => _harness.Store.OpenAsync("file:///var/lib/cloudd/images/x", 0, null, default);

        (await missing.Should().ThrowAsync<CloudException>()).Which.Kind.Should().Be(CloudErrorKind.NotFound);
        (await foreign.Should().ThrowAsync<CloudException>()).Which.Kind.Should().Be(CloudErrorKind.Invalid);
    }

    private async Task<ToolRun> SwiftCli(params string[] args)
    {
        var cluster = _harness.Cluster;
        var run = await ExternalTool.RunAsync("/usr/bin/swift", ["-A", cluster.AuthUrl, "-U", SwiftImageStoreHarness.User, "-K", SwiftImageStoreHarness.Key, .. args], cluster.Work, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)}: {run}");
        return run;
    }

    /// <summary>Misconfiguration is the server's problem, not the caller's: the API answers it with a 503.</summary>
    private static async Task<ImageStoreUnavailableException> AddFailsAsync(IImageStore store)
    {
        var act = () => store.AddAsync(Guid.NewGuid().ToString(), new MemoryStream([1]), default);
        return (await act.Should().ThrowAsync<ImageStoreUnavailableException>()).Which;
    }

    private Task<List<string>> ListAsync(string id) => _segmenting.ListAsync("glance", id, default);

    private static async Task<byte[]> ReadAsync(IImageStore store, string location, long offset, long? length)
    {
        await using var data = await store.OpenAsync(location, offset, length, default);
        using var copy = new MemoryStream();
        await data.CopyToAsync(copy);
        return copy.ToArray();
    }
}
