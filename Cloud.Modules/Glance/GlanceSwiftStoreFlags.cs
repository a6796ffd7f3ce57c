using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Glance;

/// <summary>Flags of the swift image store (glance_store's swift driver with tempauth, single tenant).</summary>
public sealed class GlanceSwiftStoreFlags : IValidatedFlags
{
    [ConfigurationKeyName("swift_store_auth_address")]
    [Description("tempauth URL of the Swift endpoint holding images, e.g. http://127.0.0.1:8080/auth/v1.0.")]
    public string SwiftStoreAuthAddress { get; set; } = "http://127.0.0.1:8080/auth/v1.0";

    [ConfigurationKeyName("swift_store_user")]
    [Description("Swift user the image store authenticates as: account:user.")]
    public string SwiftStoreUser { get; set; } = "system:root";

    [ConfigurationKeyName("swift_store_key")]
    [Description("Key of swift_store_user.")]
    [Secret]
    public string SwiftStoreKey { get; set; } = "";

    [ConfigurationKeyName("swift_store_container")]
    [Description("Swift container holding images.")]
    public string SwiftStoreContainer { get; set; } = "glance";

    [ConfigurationKeyName("swift_store_create_container_on_put")]
    [Description("Create swift_store_container on upload when it does not exist.")]
    public bool SwiftStoreCreateContainerOnPut { get; set; }

    [ConfigurationKeyName("swift_store_large_object_size")]
    [Description("Size in MiB from which an image of known size is stored as a segmented large object (default: Swift's object limit).")]
    public int SwiftStoreLargeObjectSize { get; set; } = 5120;

    [ConfigurationKeyName("swift_store_large_object_chunk_size")]
    [Description("Size in MiB of each segment of a large image.")]
    public int SwiftStoreLargeObjectChunkSize { get; set; } = 200;

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(SwiftStoreLargeObjectSize >= 1, "swift_store_large_object_size", SwiftStoreLargeObjectSize, "must be at least 1 MiB");
        FlagError.Require(SwiftStoreLargeObjectChunkSize >= 1, "swift_store_large_object_chunk_size", SwiftStoreLargeObjectChunkSize, "must be at least 1 MiB");
    }
}
