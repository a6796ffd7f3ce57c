using Cloud.Modules.Glance.Cache;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Glance;

/// <summary>
/// The glance role's manager. It has no RPC methods yet; every <c>periodic_interval</c> it tends the image cache as
/// glance's cron jobs did: glance-cache-cleaner (stalled downloads, and invalid files once an operator has had
/// image_cache_stall_time to look at them), glance-cache-prefetcher, then glance-cache-pruner (LRU down to
/// image_cache_max_size), so that prefetched images count in the prune.
/// </summary>
public sealed partial class GlanceManager(ImageCache cache, ImageCachePrefetcher prefetcher, ILogger<GlanceManager> log) : IRpcEndpoint, IPeriodicTasks
{
    public Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken) =>
        throw new UnknownRpcMethodException(message);

    public async Task RunPeriodicTasksAsync(CancellationToken cancellationToken)
    {
        var stalled = cache.ReapStalled();
        var invalid = cache.ReapInvalid(cache.StallTime);
        var prefetched = await prefetcher.RunAsync(cancellationToken).ConfigureAwait(false);
        var pruned = await cache.PruneAsync(cancellationToken).ConfigureAwait(false);
        if (stalled + invalid + prefetched + pruned.Evicted > 0)
        {
            LogTended(stalled, invalid, prefetched, pruned.Evicted, pruned.BytesFreed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Image cache: reaped {Stalled} stalled and {Invalid} invalid files, prefetched {Prefetched} images, evicted {Evicted} ({Freed} bytes)")]
    private partial void LogTended(int stalled, int invalid, int prefetched, int evicted, long freed);
}
