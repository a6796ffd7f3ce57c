using Cloud.Modules.Volume;

namespace Cloud.Modules.Compute.Drivers;

/// <summary>A volume as one of an instance's disks: how the host reaches it and where the guest sees it.</summary>
/// <param name="Connection">The volume host's iSCSI portal, target, LUN and CHAP credentials (secret: never logged).</param>
/// <param name="TargetDev">The disk's name in the domain, e.g. <c>vdb</c> (<c>vda</c> for the root disk of an instance booted from a volume).</param>
/// <param name="BootIndex">0 when the volume is the root disk; null for a data disk.</param>
public sealed record VolumeDisk(VolumeConnection Connection, string TargetDev, int? BootIndex = null)
{
    /// <summary>The volume's uuid, which the guest reads as the disk's serial (virtio-blk keeps its first 20 characters).</summary>
    public string Serial => Connection.VolumeUuid;

    /// <summary>The root disk of an instance booted from a volume.</summary>
    public bool IsRoot => BootIndex == 0;
}
