using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Swift.Storage;

/// <summary>Flags of the object store's storage servers.</summary>
public sealed class SwiftStorageFlags
{
    /// <summary>Directory of the devices (one sub-directory per device). Default: /srv/node.</summary>
    [ConfigurationKeyName("swift_devices")]
    [Description("Directory holding the storage devices, one sub-directory each.")]
    public string SwiftDevices { get; set; } = "/srv/node";
}
