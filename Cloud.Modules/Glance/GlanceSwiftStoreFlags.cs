using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Glance;

/// <summary>Flags of the swift image store (glance_store's swift driver with tempauth, single tenant).</summary>
public sealed class GlanceSwiftStoreFlags
{
    /// <summary>tempauth URL of the Swift endpoint. Default: http://127.0.0.1:8080/auth/v1.0.</summary>
    [ConfigurationKeyName("swift_store_auth_address")]
    [Description("tempauth URL of the Swift endpoint holding images, e.g. http://127.0.0.1:8080/auth/v1.0.")]
    public string SwiftStoreAuthAddress { get; set; } = "http://127.0.0.1:8080/auth/v1.0";

    /// <summary>Swift user as <c>account:user</c>. Default: system:root.</summary>
    [ConfigurationKeyName("swift_store_user")]
    [Description("Swift user the image store authenticates as: account:user.")]
    public string SwiftStoreUser { get; set; } = "system:root";

    /// <summary>Key (password) of <see cref="SwiftStoreUser"/>. Default: empty.</summary>
    [ConfigurationKeyName("swift_store_key")]
    [Description("Key of swift_store_user.")]
    [Secret]
    public string SwiftStoreKey { get; set; } = "";

    /// <summary>Container holding the images and their segments. Default: glance.</summary>
    [ConfigurationKeyName("swift_store_container")]
    [Description("Swift container holding images.")]
    public string SwiftStoreContainer { get; set; } = "glance";

    /// <summary>Create the container on the first upload when it is missing. Default: false.</summary>
    [ConfigurationKeyName("swift_store_create_container_on_put")]
    [Description("Create swift_store_container on upload when it does not exist.")]
    public bool SwiftStoreCreateContainerOnPut { get; set; }

    /// <summary>MiB from which an image of known size is stored as segments plus a manifest. Default: 5120 (Swift's object limit).</summary>
    [ConfigurationKeyName("swift_store_large_object_size")]
    [Description("Size in MiB from which an image of known size is stored as a segmented large object.")]
    public int SwiftStoreLargeObjectSize { get; set; } = 5120;

    /// <summary>MiB per segment of a large object. Default: 200.</summary>
    [ConfigurationKeyName("swift_store_large_object_chunk_size")]
    [Description("Size in MiB of each segment of a large image.")]
    public int SwiftStoreLargeObjectChunkSize { get; set; } = 200;
}
