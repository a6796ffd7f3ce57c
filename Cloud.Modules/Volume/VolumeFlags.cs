using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Volume;

/// <summary>Flags of the volume role: where volumes are carved from and how they are exported.</summary>
public sealed class VolumeFlags
{
    /// <summary>LVM volume group volumes are created in. Default: nova-volumes.</summary>
    [ConfigurationKeyName("volume_group")]
    [Description("LVM volume group volumes are created in.")]
    public string VolumeGroup { get; set; } = "nova-volumes";

    /// <summary>Address the iSCSI targets are exported on; empty uses my_ip. Default: empty.</summary>
    [ConfigurationKeyName("iscsi_ip_address")]
    [Description("Address iSCSI targets are exported on; empty: this host's address.")]
    public string IscsiIpAddress { get; set; } = "";
}
