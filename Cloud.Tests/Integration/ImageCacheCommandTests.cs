using System.Security.Cryptography;
using Cloud.Modules.Glance.Cache;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>The real <c>cloudd manage image-cache</c> commands on a cache filled by the cache's own code, as a service would.</summary>
[Category("Integration")]
public sealed class ImageCacheCommandTests
{
    private const string Kept = "11111111-aaaa-4bbb-8ccc-000000000001";
    private const string Purged = "11111111-aaaa-4bbb-8ccc-000000000002";
    private const string Corrupt = "11111111-aaaa-4bbb-8ccc-000000000003";
    private const string Stalled = "11111111-aaaa-4bbb-8ccc-000000000004";
    private const string Wanted = "11111111-aaaa-4bbb-8ccc-000000000005";
    private readonly TempDir _dir = new();

    [TearDown]
    public void RemoveDir() => _dir.Dispose();

    [Test]
    public async Task The_operator_lists_queues_purges_reaps_prunes_and_clears_the_cache()
    {
        var cache = new ImageCache(new ImageCacheFlags { ImageCacheDir = Path.Combine(_dir.Path, "cache") }, TimeProvider.System);
        await FillAsync(cache, Kept, 3000, valid: true);
        await FillAsync(cache, Purged, 2000, valid: true);
        var read = () => FillAsync(cache, Corrupt, 1000, valid: false);
        await read.Should().ThrowAsync<InvalidDataException>();
        var stalled = Path.Combine(cache.Directory, "incomplete", Stalled);
        await File.WriteAllBytesAsync(stalled, new byte[500]);
        File.SetLastWriteTimeUtc(stalled, DateTime.UtcNow.AddDays(-2));

        (await Manage("index")).Should().Contain("Found 2 cached images...").And.MatchRegex($@"{Kept}\s+\S+\s+\S+\s+3000\s+0");
        (await Manage("invalid")).Should().Contain("Found 1 invalid cached images...").And.MatchRegex($@"{Corrupt}\s+\S+\s+1000");
        (await Manage("incomplete")).Should().Contain(Stalled).And.Contain("500");
        (await Manage("prefetch", Wanted)).Should().Contain($"Queued image {Wanted} for caching");
        (await Manage("prefetch", Kept)).Should().Contain($"Image {Kept} is already cached");
        (await Manage("prefetching")).Should().Contain("Found 1 queued images...").And.Contain(Wanted);
        (await Manage("purge", Purged)).Should().Contain($"Purged image {Purged}");
        (await Manage("index")).Should().Contain("Found 1 cached images...").And.NotContain(Purged);
        (await Manage("reap-invalid")).Should().Contain("Reaped 1 invalid cached images");
        (await Manage("reap-stalled")).Should().Contain("Reaped 1 stalled incomplete images");
        (await Manage("incomplete")).Should().Contain("No incomplete cached images.");
        (await Manage("prune", "--image_cache_max_size=100")).Should().Contain("Pruned 1 images (3000 bytes); the cache holds 0 of 100 bytes");
        (await Manage("clear")).Should().Contain("Deleted 0 cached images");
        (await Manage("prefetching")).Should().Contain(Wanted, "clearing the cache keeps the queue");

        var (exit, _, stderr) = await CloudProcess.RunAsync("manage", "image-cache", "purge", "../etc", CacheDir);
        (exit, stderr.Trim()).Should().Be((1, "cloudd: error: '../etc' is not an image id"));
    }

    private string CacheDir => $"--image_cache_dir={Path.Combine(_dir.Path, "cache")}";

    private async Task<string> Manage(params string[] args)
    {
        var (exit, stdout, stderr) = await CloudProcess.RunAsync(["manage", "image-cache", .. args, CacheDir, $"--state_path={_dir.Path}"]);
        exit.Should().Be(0, stderr);
        return stdout;
    }

    private static async Task FillAsync(ImageCache cache, string id, int size, bool valid)
    {
        var data = ForwardStream.Bytes(size);
        var md5 = valid ? Convert.ToHexString(MD5.HashData(data)).ToLowerInvariant() : new string('0', 32);
        await using var tee = cache.OpenCaching(id, md5, new MemoryStream(data));
        await tee.CopyToAsync(Stream.Null);
    }
}
