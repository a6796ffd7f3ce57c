using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Kernel.Cache;

/// <summary>Where short-lived shared state (tempauth tokens) lives.</summary>
public sealed class CacheFlags : IValidatedFlags
{
    [ConfigurationKeyName("memcache_servers")]
    [Description("Comma-separated host:port memcached servers shared by every proxy; empty: in-process cache.")]
    public string MemcacheServers { get; set; } = "";

    [ConfigurationKeyName("memcache_timeout")]
    [Description("Seconds a memcached request may take before the server counts as down for a while.")]
    public double MemcacheTimeout { get; set; } = 1;

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        _ = MemcacheServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(MemcacheServer.Parse).ToList();
        FlagError.Require(MemcacheTimeout > 0, "memcache_timeout", MemcacheTimeout, "must be a positive number of seconds");
    }
}
