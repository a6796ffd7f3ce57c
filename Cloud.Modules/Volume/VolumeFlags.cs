using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Volume;

/// <summary>Flags of the volume role: where volumes are carved from and how they are exported.</summary>
public sealed class VolumeFlags : IValidatedFlags
{
    [ConfigurationKeyName("volume_group")]
    [Description("LVM volume group volumes are created in.")]
    public string VolumeGroup { get; set; } = "nova-volumes";

    [ConfigurationKeyName("iscsi_ip_address")]
    [Description("Address iSCSI targets are exported on; empty: this host's address (--my_ip).")]
    public string IscsiIpAddress { get; set; } = "";

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate() =>
        FlagError.Require(VolumeGroup.Trim().Length > 0, "volume_group", VolumeGroup, "must name an LVM volume group");
}
