using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Kernel.Cache;

/// <summary>Picks memcached when <c>memcache_servers</c> names servers, this process's memory otherwise.</summary>
public static class SharedCacheFactory
{
    /// <summary>The cache the flags ask for.</summary>
    public static ISharedCache Create(IServiceProvider services)
    {
        var flags = services.GetRequiredService<IOptions<CacheFlags>>().Value;
        var clock = services.GetRequiredService<TimeProvider>();
        return string.IsNullOrWhiteSpace(flags.MemcacheServers)
            ? new InProcessCache(clock)
            : new MemcacheCache(flags, clock, services.GetRequiredService<ILogger<MemcacheCache>>());
    }
}
