namespace Cloud.Modules.Volume;

/// <summary>
/// A volume as the APIs show it (one row of <c>volumes</c>). <see cref="Id"/> is the integer id the EC2 id
/// (<c>vol-%08x</c>) and the backing store's name (<c>volume-%08x</c>, iSCSI target <c>iqn.2010-10.org.openstack:volume-%08x</c>)
/// come from; <see cref="Uuid"/> is the id the OpenStack APIs use. A volume has at most one attachment (no multiattach).
/// </summary>
/// <remarks>A class with init properties so Dapper can fill it from SQLite's storage types.</remarks>
public sealed class VolumeInfo
{
    public long Id { get; init; }

    public string Uuid { get; init; } = "";

    public string ProjectId { get; init; } = "";

    public string UserId { get; init; } = "";

    /// <summary>Display name; null when none was given.</summary>
    public string? Name { get; init; }

    public string? Description { get; init; }

    public long SizeGb { get; init; }

    public string AvailabilityZone { get; init; } = "nova";

    /// <summary>One of <see cref="VolumeStatuses"/>.</summary>
    public string Status { get; init; } = VolumeStatuses.Creating;

    /// <summary>Why the volume is in error (shown to the owner); null otherwise.</summary>
    public string? StatusReason { get; init; }

    /// <summary>The volume host (its <c>--host</c>) holding the data; null until scheduled.</summary>
    public string? Host { get; init; }

    /// <summary>The volume type's name (<c>__DEFAULT__</c> unless another was asked for).</summary>
    public string VolumeType { get; init; } = "__DEFAULT__";

    /// <summary>The snapshot it was created from, by uuid.</summary>
    public string? SnapshotUuid { get; init; }

    /// <summary>The volume it was cloned from, by uuid.</summary>
    public string? SourceVolumeUuid { get; init; }

    /// <summary>Whether a server may boot from it (Cinder's <c>bootable</c>).</summary>
    public bool Bootable { get; init; }

    /// <summary>"attached", "attaching", "detaching" or "detached".</summary>
    public string AttachStatus { get; init; } = "detached";

    /// <summary>The attachment's id (Cinder's attachment_id); null while detached.</summary>
    public string? AttachmentId { get; init; }

    /// <summary>The instance (uuid) it is attached or being attached to.</summary>
    public string? InstanceUuid { get; init; }

    /// <summary>The compute host of that instance.</summary>
    public string? AttachedHost { get; init; }

    /// <summary>The device the guest sees it as, e.g. /dev/vdb.</summary>
    public string? Mountpoint { get; init; }

    public DateTime? AttachedAt { get; init; }

    /// <summary>Delete the volume when the instance it is attached to is deleted (block_device_mapping's delete_on_termination).</summary>
    public bool DeleteOnTermination { get; init; }

    /// <summary>Position in the boot order when the instance boots from it (0 = the root disk); null for a data disk.</summary>
    public int? BootIndex { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? UpdatedAt { get; init; }

    /// <summary>The volume's key/value metadata (Cinder's <c>metadata</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// What the volume keeps of the image it was made from (<see cref="VolumeImageKeys"/>); empty for other volumes.
    /// Cinder shows it as <c>volume_image_metadata</c>; compute boots an AMI-style volume with its kernel and ramdisk.
    /// </summary>
    public IReadOnlyDictionary<string, string> ImageMetadata { get; init; } = new Dictionary<string, string>();
}
