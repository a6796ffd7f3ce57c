using System.Security.Cryptography;
using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Cache;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

public sealed class GlanceManagerTests
{
    private const string Queued = "22222222-aaaa-4bbb-8ccc-000000000001";
    private const string Old = "22222222-aaaa-4bbb-8ccc-000000000002";
    private const string Stalled = "22222222-aaaa-4bbb-8ccc-000000000003";

    [Test]
    public async Task The_periodic_task_reaps_stalled_downloads_prefetches_the_queue_and_prunes_to_the_size_limit()
    {
        using var dir = new TempDir();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var cache = new ImageCache(new ImageCacheFlags { ImageCacheDir = dir.Path, ImageCacheMaxSize = 1500, ImageCacheStallTime = 60 }, clock);
        var source = new BytesSource { [Queued] = new byte[1000], [Old] = new byte[1000] };
        var prefetcher = new ImageCachePrefetcher(cache, source, NullLogger<ImageCachePrefetcher>.Instance);
        await prefetcher.PrefetchAsync(Old, default);
        clock.Advance(TimeSpan.FromMinutes(2));
        await File.WriteAllBytesAsync(Path.Combine(cache.Directory, "incomplete", Stalled), new byte[10]);
        File.SetLastWriteTimeUtc(Path.Combine(cache.Directory, "incomplete", Stalled), clock.GetUtcNow().UtcDateTime.AddMinutes(-5));
        await cache.QueueAsync(Queued, default);

        await new GlanceManager(cache, prefetcher, NullLogger<GlanceManager>.Instance).RunPeriodicTasksAsync(default);

        cache.ListIncomplete().Should().BeEmpty();
        cache.ListQueued().Should().BeEmpty();
        (await cache.ListCachedAsync(default)).Select(i => i.ImageId).Should().Equal([Queued], "the least recently used image went to make room");
    }

    /// <summary>Images by id with their MD5, as the registry and store would give them.</summary>
    private sealed class BytesSource : Dictionary<string, byte[]>, IImageSource
    {
        public Task<ImageSourceData> OpenAsync(string imageId, CancellationToken ct) =>
            Task.FromResult(new ImageSourceData(Convert.ToHexStringLower(MD5.HashData(this[imageId])), new MemoryStream(this[imageId])));
    }
}
