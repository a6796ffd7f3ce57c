using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Swift.Storage;

/// <summary>Flags of the object store's storage servers (swift's object-server.conf, container-server.conf, account-server.conf).</summary>
public sealed class SwiftStorageFlags
{
    /// <summary>Directory of the devices (one sub-directory per device). Default: /srv/node.</summary>
    [ConfigurationKeyName("swift_devices")]
    [Description("Directory holding the storage devices, one sub-directory each.")]
    public string SwiftDevices { get; set; } = "/srv/node";

    /// <summary>Refuse to use a device directory that is not a mount point. Default: false.</summary>
    [ConfigurationKeyName("swift_mount_check")]
    [Description("Refuse to use a device that is not a mount point (protects the root disk when a device is missing).")]
    public bool SwiftMountCheck { get; set; }

    /// <summary>Address the storage servers listen on. Default: 0.0.0.0.</summary>
    [ConfigurationKeyName("swift_storage_listen")]
    [Description("Address the object, container and account servers listen on.")]
    public string SwiftStorageListen { get; set; } = "0.0.0.0";

    /// <summary>Default: 6000.</summary>
    [ConfigurationKeyName("swift_object_port")]
    [Description("Port of the object server.")]
    public int SwiftObjectPort { get; set; } = 6000;

    /// <summary>Default: 6001.</summary>
    [ConfigurationKeyName("swift_container_port")]
    [Description("Port of the container server.")]
    public int SwiftContainerPort { get; set; } = 6001;

    /// <summary>Default: 6002.</summary>
    [ConfigurationKeyName("swift_account_port")]
    [Description("Port of the account server.")]
    public int SwiftAccountPort { get; set; } = 6002;
}
