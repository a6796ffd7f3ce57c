using System.Security.Cryptography;
using Cloud.Modules.Glance.Cache;
using Cloud.Modules.Kernel;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

/// <summary>The on-disk image cache: checksums, the caching tee, LRU pruning, reaping, queue and concurrent readers.</summary>
public sealed class ImageCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private TempDir _dir = null!;
    private ManualClock _clock = null!;
    private ImageCache _cache = null!;

    [SetUp]
    public void CreateCache()
    {
        _dir = new TempDir();
        _clock = new ManualClock(Start);
        _cache = NewCache(maxSize: 10_000);
    }

    [TearDown]
    public void RemoveCache() => _dir.Dispose();

    [Test]
    public async Task A_download_enters_the_cache_only_when_read_whole_with_the_expected_checksum()
    {
        var data = ForwardStream.Bytes(200_000);

        await using (var partial = _cache.OpenCaching("img-1", Md5(data), new ForwardStream(data)))
        {
            await partial.ReadExactlyAsync(new byte[50_000]);
            _cache.ListIncomplete().Should().ContainSingle(f => f.ImageId == "img-1");
        }
        (await _cache.IsCachedAsync("img-1", default)).Should().BeFalse("the reader stopped half-way");
        _cache.ListIncomplete().Should().BeEmpty();

        (await ReadAllAsync(_cache.OpenCaching("img-1", Md5(data), new ForwardStream(data)))).Should().Equal(data);

        var cached = (await _cache.ListCachedAsync(default)).Should().ContainSingle().Subject;
        (cached.ImageId, cached.Size, cached.Hits, cached.Checksum).Should().Be(("img-1", data.Length, 0L, Md5(data)));
        (await ReadAllAsync((await _cache.TryOpenAsync("img-1", Md5(data), default))!)).Should().Equal(data);
        (await _cache.ListCachedAsync(default)).Single().Hits.Should().Be(1);
    }

    [Test]
    public async Task A_download_with_another_checksum_fails_its_read_and_lands_in_invalid_until_reaped()
    {
        var data = ForwardStream.Bytes(100_000);

        var read = () => ReadAllAsync(_cache.OpenCaching("img-1", Md5([1, 2, 3]), new ForwardStream(data)));

        await read.Should().ThrowAsync<InvalidDataException>();
        (await _cache.IsCachedAsync("img-1", default)).Should().BeFalse();
        _cache.ListInvalid().Should().ContainSingle().Which.Should().Be(new CacheEntryFile("img-1", data.Length, _cache.ListInvalid()[0].LastModified));
        _cache.ReapInvalid().Should().Be(1);
        _cache.ListInvalid().Should().BeEmpty();
    }

    [Test]
    public async Task A_cached_file_altered_on_disk_fails_its_read_and_moves_to_invalid()
    {
        var data = await CacheAsync("img-1", 10_000);
        var path = Path.Combine(_cache.Directory, "img-1");
        var altered = (byte[])data.Clone();
        altered[5000] ^= 0xff;
        await File.WriteAllBytesAsync(path, altered);

        var read = async () => await ReadAllAsync((await _cache.TryOpenAsync("img-1", Md5(data), default))!);

        await read.Should().ThrowAsync<InvalidDataException>();
        (await _cache.TryOpenAsync("img-1", Md5(data), default)).Should().BeNull();
        _cache.ListInvalid().Should().ContainSingle(f => f.ImageId == "img-1");
    }

    [Test]
    public async Task A_cached_image_recorded_with_another_checksum_is_a_miss_and_moves_to_invalid()
    {
        await CacheAsync("img-1", 1000);

        (await _cache.TryOpenAsync("img-1", Md5([9]), default)).Should().BeNull("the image's data changed since it was cached");
        (await _cache.ListCachedAsync(default)).Should().BeEmpty();
        _cache.ListInvalid().Should().ContainSingle(f => f.ImageId == "img-1");
    }

    [Test]
    public async Task Pruning_evicts_the_least_recently_accessed_images_first_until_under_the_maximum()
    {
        _cache = NewCache(maxSize: 2500);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            await CacheAsync(id, 1000);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }
        await (await _cache.TryOpenAsync("a", null, default))!.DisposeAsync();

        var result = await _cache.PruneAsync(default);

        result.Should().Be(new PruneResult(2, 2000, 2000));
        (await _cache.ListCachedAsync(default)).Select(i => i.ImageId).Should().Equal("a", "d");
        File.Exists(Path.Combine(_cache.Directory, "b")).Should().BeFalse();
        (await _cache.PruneAsync(default)).Evicted.Should().Be(0);
    }

    [Test]
    public async Task Reaping_stalled_downloads_removes_only_those_untouched_for_the_stall_time()
    {
        var incomplete = Path.Combine(_cache.Directory, "incomplete");
        await File.WriteAllBytesAsync(Path.Combine(incomplete, "old"), [1]);
        await File.WriteAllBytesAsync(Path.Combine(incomplete, "fresh"), [1]);
        File.SetLastWriteTimeUtc(Path.Combine(incomplete, "old"), Start.UtcDateTime - TimeSpan.FromSeconds(86_401));
        File.SetLastWriteTimeUtc(Path.Combine(incomplete, "fresh"), Start.UtcDateTime - TimeSpan.FromSeconds(60));

        _cache.ReapStalled().Should().Be(1);

        _cache.ListIncomplete().Select(f => f.ImageId).Should().Equal("fresh");
    }

    [Test]
    public async Task Concurrent_readers_of_one_image_each_read_all_of_it_even_when_it_is_purged_meanwhile()
    {
        var data = await CacheAsync("img-1", 300_000);
        var readers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _cache.TryOpenAsync("img-1", Md5(data), default)));

        (await _cache.DeleteAsync("img-1", default)).Should().BeTrue();
        var reads = await Task.WhenAll(readers.Select(r => Task.Run(() => ReadAllAsync(r!))));

        reads.Should().AllSatisfy(r => r.Should().Equal(data));
        (await _cache.TryOpenAsync("img-1", Md5(data), default)).Should().BeNull();
    }

    [Test]
    public async Task A_second_download_of_an_image_being_cached_passes_through_uncached_and_the_first_completes_the_cache()
    {
        var data = ForwardStream.Bytes(100_000);
        await using var first = _cache.OpenCaching("img-1", Md5(data), new ForwardStream(data));
        await first.ReadExactlyAsync(new byte[10]);

        (await ReadAllAsync(_cache.OpenCaching("img-1", Md5(data), new ForwardStream(data)))).Should().Equal(data);
        (await _cache.IsCachedAsync("img-1", default)).Should().BeFalse();

        await first.CopyToAsync(Stream.Null);
        (await _cache.IsCachedAsync("img-1", default)).Should().BeTrue();
    }

    [Test]
    public async Task Queue_purge_and_clear_keep_the_listings_right()
    {
        await CacheAsync("cached-1", 10);
        await CacheAsync("cached-2", 10);

        (await _cache.QueueAsync("wanted", default)).Should().BeTrue();
        (await _cache.QueueAsync("cached-1", default)).Should().BeFalse("it is cached already");
        _cache.ListQueued().Select(q => q.ImageId).Should().Equal("wanted");
        (await _cache.DeleteAsync("cached-1", default)).Should().BeTrue();
        (await _cache.DeleteAsync("cached-1", default)).Should().BeFalse();
        (await _cache.ClearAsync(default)).Should().Be(1);

        (await _cache.ListCachedAsync(default)).Should().BeEmpty();
        _cache.ListQueued().Should().ContainSingle("clearing the cache leaves the queue");
    }

    [Test]
    public async Task Ids_that_are_not_plain_file_names_are_refused()
    {
        foreach (var id in new[] { "../etc", "a/b", "", "queue", "cache.db" })
        {
            var act = () => _cache.QueueAsync(id, default);
            (await act.Should().ThrowAsync<CloudException>($"'{id}' is no image id")).Which.Kind.Should().Be(CloudErrorKind.Invalid);
        }
    }

    [Test]
    public async Task The_prefetcher_caches_queued_images_dequeues_vanished_ones_and_keeps_those_that_failed()
    {
        var good = ForwardStream.Bytes(50_000, seed: 1);
        var bad = ForwardStream.Bytes(50_000, seed: 2);
        var source = new TestImageSource(new Dictionary<string, ImageSourceData>
        {
            ["good"] = new(Md5(good), new MemoryStream(good)),
            ["bad"] = new(Md5([0]), new MemoryStream(bad)),
        });
        foreach (var id in new[] { "good", "bad", "gone" })
        {
            await _cache.QueueAsync(id, default);
        }

        var cached = await new ImageCachePrefetcher(_cache, source, NullLogger<ImageCachePrefetcher>.Instance).RunAsync(default);

        cached.Should().Be(1);
        (await _cache.ListCachedAsync(default)).Select(i => i.ImageId).Should().Equal("good");
        _cache.ListQueued().Select(q => q.ImageId).Should().Equal("bad");
        _cache.ListInvalid().Select(q => q.ImageId).Should().Equal("bad");
    }

    [Test]
    public async Task A_first_download_passes_every_byte_through_and_the_image_is_cached_before_its_last_bytes_are_handed_out()
    {
        var data = ForwardStream.Bytes(3_000_000);
        await using var tee = _cache.OpenCaching("img-1", Md5(data), new ForwardStream(data), data.Length);
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var cachedWhenComplete = false;
        int n;
        while ((n = await tee.ReadAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, n);
            if (received.Length == data.Length)
            {
                cachedWhenComplete = await _cache.IsCachedAsync("img-1", default);
            }
        }

        received.ToArray().Should().Equal(data);
        cachedWhenComplete.Should().BeTrue("a reader holding all the bytes finds the image cached");
        (await ReadAllAsync((await _cache.TryOpenAsync("img-1", Md5(data), default))!)).Should().Equal(data);
        _cache.ListIncomplete().Should().BeEmpty();
    }

    [Test]
    public async Task A_reader_that_goes_away_midway_leaves_no_partial_cache_entry()
    {
        var data = ForwardStream.Bytes(3_000_000);

        await using (var tee = _cache.OpenCaching("img-1", Md5(data), new ForwardStream(data), data.Length))
        {
            await tee.ReadExactlyAsync(new byte[1_000_000]);
        }

        (await _cache.IsCachedAsync("img-1", default)).Should().BeFalse();
        (await _cache.ListCachedAsync(default)).Should().BeEmpty();
        _cache.ListIncomplete().Should().BeEmpty("the copy of an abandoned download is removed");
        _cache.ListInvalid().Should().BeEmpty();
        File.Exists(Path.Combine(_cache.Directory, "img-1")).Should().BeFalse();
    }

    [Test]
    public async Task A_first_download_with_a_wrong_checksum_never_hands_out_its_last_bytes()
    {
        var data = ForwardStream.Bytes(1_000_000);
        await using var tee = _cache.OpenCaching("img-1", Md5([1]), new ForwardStream(data), data.Length);
        var received = 0L;

        var read = async () =>
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await tee.ReadAsync(buffer)) > 0)
            {
                received += n;
            }
        };

        await read.Should().ThrowAsync<InvalidDataException>();
        received.Should().BeLessThan(data.Length, "the read that would complete the image fails instead");
        (await _cache.IsCachedAsync("img-1", default)).Should().BeFalse();
        _cache.ListInvalid().Should().ContainSingle(f => f.ImageId == "img-1");
    }

    [Test]
    public async Task A_source_longer_than_the_registered_size_fails_the_download_and_is_not_cached()
    {
        var data = ForwardStream.Bytes(100_000);

        var read = () => ReadAllAsync(_cache.OpenCaching("img-1", Md5(data.AsSpan(0, 99_000).ToArray()), new ForwardStream(data), 99_000));

        await read.Should().ThrowAsync<InvalidDataException>();
        (await _cache.IsCachedAsync("img-1", default)).Should().BeFalse();
    }

    [Test]
    public async Task A_corrupt_cached_file_never_hands_out_its_last_bytes()
    {
        var data = await CacheAsync("img-1", 2_000_000);
        var path = Path.Combine(_cache.Directory, "img-1");
        var altered = (byte[])data.Clone();
        altered[^1] ^= 0xff;
        await File.WriteAllBytesAsync(path, altered);
        await using var cached = (await _cache.TryOpenAsync("img-1", Md5(data), default))!;
        var received = 0L;

        var read = async () =>
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await cached.ReadAsync(buffer)) > 0)
            {
                received += n;
            }
        };

        await read.Should().ThrowAsync<InvalidDataException>();
        received.Should().BeLessThan(data.Length);
        _cache.ListInvalid().Should().ContainSingle(f => f.ImageId == "img-1");
    }

    private ImageCache NewCache(long maxSize) =>
        new(new ImageCacheFlags { ImageCacheDir = Path.Combine(_dir.Path, "cache"), ImageCacheMaxSize = maxSize }, _clock);

    private async Task<byte[]> CacheAsync(string id, int size)
    {
        var data = ForwardStream.Bytes(size, seed: id.GetHashCode(StringComparison.Ordinal));
        await ReadAllAsync(_cache.OpenCaching(id, Md5(data), new MemoryStream(data)));
        return data;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    private static string Md5(byte[] data) => Convert.ToHexString(MD5.HashData(data)).ToLowerInvariant();

    /// <summary>The image source test double: fixed images, anything else is gone.</summary>
    private sealed class TestImageSource(Dictionary<string, ImageSourceData> images) : IImageSource
    {
        public Task<ImageSourceData> OpenAsync(string imageId, CancellationToken ct) =>
            images.TryGetValue(imageId, out var image) ? Task.FromResult(image) : throw CloudException.NotFound($"no image {imageId}");
    }
}
