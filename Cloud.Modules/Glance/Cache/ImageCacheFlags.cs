using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Glance.Cache;

/// <summary>Flags of the on-disk image cache of API nodes and compute hosts (glance's image cache).</summary>
public sealed class ImageCacheFlags
{
    [ConfigurationKeyName("image_cache_dir")]
    [Description("Directory of the image cache.")]
    public string ImageCacheDir { get; set; } = "$state_path/image-cache";

    [ConfigurationKeyName("image_cache_max_size")]
    [Description("Size in bytes above which pruning evicts the least recently used cached images (default: 10 GiB).")]
    public long ImageCacheMaxSize { get; set; } = 10L * 1024 * 1024 * 1024;

    [ConfigurationKeyName("image_cache_stall_time")]
    [Description("Seconds after which an incomplete cache download is stalled and may be reaped.")]
    public int ImageCacheStallTime { get; set; } = 86400;
}
