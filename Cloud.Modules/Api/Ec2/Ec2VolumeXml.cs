using System.Xml.Linq;
using Cloud.Modules.Volume;
using static Cloud.Modules.Api.Ec2.Ec2Xml;

namespace Cloud.Modules.Api.Ec2;

/// <summary>
/// Volumes and snapshots in EC2's words. The status is EC2's (creating, available, in-use, deleting, error; an attaching or
/// detaching volume is in-use with that attachment status, as AWS shows it) for admins too: Diablo's admin form
/// "available (project, host, instance, device)" would break awscli's waiters and <c>--query</c> filters, so the owner
/// project and host are not folded into it.
/// </summary>
public static class Ec2VolumeXml
{
    public static string Status(VolumeInfo volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Status switch
        {
            VolumeStatuses.Attaching or VolumeStatuses.InUse or VolumeStatuses.Detaching => "in-use",
            VolumeStatuses.Extending => volume.AttachmentId is null ? "available" : "in-use",
            VolumeStatuses.Error or VolumeStatuses.ErrorDeleting or VolumeStatuses.ErrorExtending => "error",
            _ => volume.Status,
        };
    }

    /// <summary>The volume's fields, with its attachment when it has one (<paramref name="instanceEc2Id"/>: its instance's i-… id).</summary>
    public static IEnumerable<XElement> Volume(VolumeInfo volume, string? snapshotEc2Id, string? instanceEc2Id)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var attachments = instanceEc2Id is null ? [] : new[] { Attachment(volume, instanceEc2Id) };
        return
        [
            Element("volumeId", Ec2VolumeIds.Volume(volume.Id)),
            Element("size", volume.SizeGb),
            Element("snapshotId", snapshotEc2Id ?? ""),
            Element("availabilityZone", volume.AvailabilityZone),
            Element("status", Status(volume)),
            Element("createTime", Ec2InstanceXml.Timestamp(volume.CreatedAt)),
            Set("attachmentSet", attachments),
            Element("volumeType", "standard"),
            Element("encrypted", "false"),
            Element("multiAttachEnabled", "false"),
        ];
    }

    /// <summary>An attachment item (also the body of AttachVolume's and DetachVolume's answers).</summary>
    public static IEnumerable<XElement> Attachment(VolumeInfo volume, string instanceEc2Id)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return
        [
            Element("volumeId", Ec2VolumeIds.Volume(volume.Id)),
            Element("instanceId", instanceEc2Id),
            Element("device", volume.Mountpoint ?? ""),
            Element("status", AttachmentStatus(volume)),
            Element("attachTime", Ec2InstanceXml.Timestamp(volume.AttachedAt ?? volume.UpdatedAt ?? volume.CreatedAt)),
            Element("deleteOnTermination", volume.DeleteOnTermination ? "true" : "false"),
        ];
    }

    public static string AttachmentStatus(VolumeInfo volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Status switch
        {
            VolumeStatuses.Attaching => "attaching",
            VolumeStatuses.Detaching => "detaching",
            VolumeStatuses.Available => "detached",
            _ => "attached",
        };
    }

    /// <summary>EC2's snapshot states: pending, completed, error.</summary>
    public static string SnapshotStatus(SnapshotInfo snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Status switch
        {
            SnapshotStatuses.Available => "completed",
            SnapshotStatuses.Error or SnapshotStatuses.ErrorDeleting => "error",
            _ => "pending",
        };
    }

    public static IEnumerable<XElement> Snapshot(SnapshotInfo snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return
        [
            Element("snapshotId", Ec2VolumeIds.Snapshot(snapshot.Id)),
            Element("volumeId", Ec2VolumeIds.Volume(snapshot.VolumeId)),
            Element("status", SnapshotStatus(snapshot)),
            Element("startTime", Ec2InstanceXml.Timestamp(snapshot.CreatedAt)),
            Element("progress", snapshot.Progress),
            Element("ownerId", snapshot.ProjectId),
            Element("volumeSize", snapshot.SizeGb),
            Element("description", snapshot.Description ?? ""),
            Element("encrypted", "false"),
        ];
    }
}
