using System.ComponentModel;
using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Glance;

/// <summary>Flags of the image service and of its clients (compute hosts fetching images).</summary>
public sealed class GlanceFlags : IValidatedFlags
{
    [ConfigurationKeyName("image_service")]
    [Description("Image service used by compute hosts: glance (nova.image.glance.GlanceImageService accepted).")]
    public string ImageService { get; set; } = "nova.image.glance.GlanceImageService";

    [ConfigurationKeyName("glance_api_servers")]
    [Description("Comma-separated host:port list of image API servers.")]
    public string GlanceApiServers { get; set; } = "$cc_host:$glance_port";

    [ConfigurationKeyName("default_store")]
    [Description("Image store: file or swift.")]
    public string DefaultStore { get; set; } = "file";

    [ConfigurationKeyName("filesystem_store_datadir")]
    [Description("Directory of the file image store.")]
    public string FilesystemStoreDatadir { get; set; } = "$state_path/images";

    [ConfigurationKeyName("glance_listen")]
    [Description("Address the image API (glance) listens on.")]
    public string GlanceListen { get; set; } = "0.0.0.0";

    [ConfigurationKeyName("glance_port")]
    [Description("Port of the image API (glance).")]
    public int GlancePort { get; set; } = 9292;

    [ConfigurationKeyName("image_size_cap")]
    [Description("Largest image upload accepted, in bytes (glance's image_size_cap; default: 1 TiB).")]
    public long ImageSizeCap { get; set; } = 1L << 40;

    [ConfigurationKeyName("user_storage_quota")]
    [Description("Bytes of image data each project may store over all its images (glance's user_storage_quota; 0: unlimited); the number of images is --quota_images.")]
    public long UserStorageQuota { get; set; }

    [ConfigurationKeyName("enabled_import_methods")]
    [Description("Comma-separated image import methods offered (glance's enabled_import_methods): glance-direct, copy-image. web-download is not offered: it would let tenants make this host fetch any URL.")]
    public string EnabledImportMethods { get; set; } = "glance-direct,copy-image";

    /// <summary>The import methods of <see cref="EnabledImportMethods"/>.</summary>
    public IReadOnlyList<string> ImportMethods() =>
        EnabledImportMethods.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(DefaultStore.Trim().ToLowerInvariant() is "file" or "filesystem" or "swift", "default_store", DefaultStore,
            $"unknown image store; use one of {string.Join(", ", ImageStores.Known)}");
        FlagError.RequirePort("glance_port", GlancePort);
        FlagError.Require(ImageSizeCap >= 1, "image_size_cap", ImageSizeCap, "must be at least 1 byte");
        FlagError.Require(ImportMethods().All(m => m is "glance-direct" or "copy-image"), "enabled_import_methods", EnabledImportMethods,
            "use glance-direct and/or copy-image");
        FlagError.Require(UserStorageQuota >= 0, "user_storage_quota", UserStorageQuota, "must be 0 (unlimited) or more");
    }
}
