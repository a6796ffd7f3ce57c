using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Kernel.Cache;

/// <summary>Where short-lived shared state (tempauth tokens) lives.</summary>
public sealed class CacheFlags
{
    [ConfigurationKeyName("memcache_servers")]
    [Description("Comma-separated host:port memcached servers shared by every proxy; empty: in-process cache.")]
    public string MemcacheServers { get; set; } = "";

    [ConfigurationKeyName("memcache_timeout")]
    [Description("Seconds a memcached request may take before the server counts as down for a while.")]
    public double MemcacheTimeout { get; set; } = 1;
}
