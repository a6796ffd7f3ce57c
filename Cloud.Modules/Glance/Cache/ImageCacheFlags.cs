using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Glance.Cache;

/// <summary>Flags of the on-disk image cache of API nodes and compute hosts (glance's image cache).</summary>
public sealed class ImageCacheFlags : IValidatedFlags
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

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(ImageCacheMaxSize >= 0, "image_cache_max_size", ImageCacheMaxSize, "must be 0 or more bytes");
        FlagError.Require(ImageCacheStallTime >= 1, "image_cache_stall_time", ImageCacheStallTime, "must be at least 1 second");
    }
}
