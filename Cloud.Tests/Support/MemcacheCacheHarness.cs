using Cloud.Modules.Kernel.Cache;

namespace Cloud.Tests.Support;

/// <summary>The memcached cache on a real memcached of its own.</summary>
public sealed class MemcacheCacheHarness : ISharedCacheHarness
{
    private MemcachedProcess? _memcached;

    public ISharedCache Cache { get; private set; } = default!;

    public async Task StartAsync()
    {
        _memcached = await MemcachedProcess.StartAsync();
        Cache = new MemcacheCache(new CacheFlags { MemcacheServers = _memcached.Servers }, TimeProvider.System, new CapturingLogger<MemcacheCache>());
    }

    // memcached counts its own seconds; there is no clock to move.
    public Task LetTimePassAsync(TimeSpan time) => Task.Delay(time);

    public async ValueTask DisposeAsync()
    {
        if (_memcached is not null)
        {
            await _memcached.DisposeAsync();
        }
    }
}
