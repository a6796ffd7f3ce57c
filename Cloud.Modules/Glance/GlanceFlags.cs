using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Glance;

/// <summary>Flags of the image service and of its clients (compute hosts fetching images).</summary>
public sealed class GlanceFlags
{
    /// <summary>Image service the compute side uses (nova class path accepted). Default: glance.</summary>
    [ConfigurationKeyName("image_service")]
    [Description("Image service used by compute hosts: glance (nova.image.glance.GlanceImageService accepted).")]
    public string ImageService { get; set; } = "nova.image.glance.GlanceImageService";

    /// <summary>host:port of the image API servers, comma-separated. Default: $cc_host:$glance_port.</summary>
    [ConfigurationKeyName("glance_api_servers")]
    [Description("Comma-separated host:port list of image API servers.")]
    public string GlanceApiServers { get; set; } = "$cc_host:$glance_port";

    /// <summary>Where images are stored: file or swift. Default: file.</summary>
    [ConfigurationKeyName("default_store")]
    [Description("Image store: file or swift.")]
    public string DefaultStore { get; set; } = "file";

    /// <summary>Directory of the file store. Default: $state_path/images.</summary>
    [ConfigurationKeyName("filesystem_store_datadir")]
    [Description("Directory of the file image store.")]
    public string FilesystemStoreDatadir { get; set; } = "$state_path/images";

    /// <summary>Address the image API listens on. Default: 0.0.0.0.</summary>
    [ConfigurationKeyName("glance_listen")]
    [Description("Address the image API (glance) listens on.")]
    public string GlanceListen { get; set; } = "0.0.0.0";

    /// <summary>Default: 9292.</summary>
    [ConfigurationKeyName("glance_port")]
    [Description("Port of the image API (glance).")]
    public int GlancePort { get; set; } = 9292;

    /// <summary>Largest image accepted, in bytes (glance's image_size_cap). Default: 1 TiB.</summary>
    [ConfigurationKeyName("image_size_cap")]
    [Description("Largest image upload accepted, in bytes.")]
    public long ImageSizeCap { get; set; } = 1L << 40;

    /// <summary>
    /// Bytes of image data each owner (project) may store, over all its images (glance's user_storage_quota);
    /// 0 is unlimited. The number of images is the project's <c>images</c> quota (<c>quota_images</c>). Default: 0.
    /// </summary>
    [ConfigurationKeyName("user_storage_quota")]
    [Description("Bytes of image data each project may store (0: unlimited).")]
    public long UserStorageQuota { get; set; }
}
