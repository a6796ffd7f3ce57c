using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Glance.Cache;

/// <summary>
/// glance-cache-prefetcher: fetches every queued image from <see cref="IImageSource"/> through the caching tee, so it
/// lands in the cache checked against its MD5. Run by the glance role's periodic task or by an operator.
/// </summary>
public sealed partial class ImageCachePrefetcher(ImageCache cache, IImageSource source, ILogger<ImageCachePrefetcher> logger)
{
    /// <summary>Fetches the queue once; returns how many images were cached. Failures are logged and stay queued.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var cached = 0;
        foreach (var queued in cache.ListQueued())
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                if (await PrefetchAsync(queued.ImageId, ct).ConfigureAwait(false))
                {
                    cached++;
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException or InvalidDataException or CloudException or ImageStoreUnavailableException)
            {
                if (e is CloudException { Kind: CloudErrorKind.NotFound })
                {
                    // The image is gone: prefetching it will never succeed.
                    cache.Dequeue(queued.ImageId);
                }
                LogFailed(logger, queued.ImageId, e.Message);
            }
        }
        return cached;
    }

    /// <summary>Caches one image now; false when it was cached already or another reader is caching it.</summary>
    public async Task<bool> PrefetchAsync(string imageId, CancellationToken ct)
    {
        if (await cache.IsCachedAsync(imageId, ct).ConfigureAwait(false))
        {
            cache.Dequeue(imageId);
            return false;
        }
        var image = await source.OpenAsync(imageId, ct).ConfigureAwait(false);
        var tee = cache.OpenCaching(imageId, image.Checksum, image.Data);
        await using (tee.ConfigureAwait(false))
        {
            await tee.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
        }
        if (!await cache.IsCachedAsync(imageId, ct).ConfigureAwait(false))
        {
            return false;
        }
        LogCached(logger, imageId);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prefetched image {ImageId} into the cache")]
    private static partial void LogCached(ILogger logger, string imageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prefetching image {ImageId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string imageId, string reason);
}
