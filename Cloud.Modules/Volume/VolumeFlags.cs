using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Volume;

/// <summary>Flags of the volume role: where volumes are carved from and how they are exported.</summary>
public sealed class VolumeFlags
{
    [ConfigurationKeyName("volume_group")]
    [Description("LVM volume group volumes are created in.")]
    public string VolumeGroup { get; set; } = "nova-volumes";

    [ConfigurationKeyName("iscsi_ip_address")]
    [Description("Address iSCSI targets are exported on; empty: this host's address (--my_ip).")]
    public string IscsiIpAddress { get; set; } = "";
}
