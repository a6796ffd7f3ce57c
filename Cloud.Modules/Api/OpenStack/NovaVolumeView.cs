using Cloud.Modules.Api.Cinder;
using Cloud.Modules.Volume;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>nova's os-volumes and os-snapshots views (nova/api/openstack/compute/volumes.py): camelCase, one attachment or <c>[{}]</c>.</summary>
public static class NovaVolumeView
{
    public static Dictionary<string, object?> Volume(VolumeInfo volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var attached = volume.InstanceUuid is { Length: > 0 } && volume.Status is VolumeStatuses.InUse or VolumeStatuses.Detaching;
        var attachment = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (attached)
        {
            attachment["id"] = volume.Uuid;
            attachment["volumeId"] = volume.Uuid;
            attachment["serverId"] = volume.InstanceUuid;
            if (volume.Mountpoint is not null)
            {
                attachment["device"] = volume.Mountpoint;
            }
        }
        return new(StringComparer.Ordinal)
        {
            ["id"] = volume.Uuid,
            ["status"] = volume.Status,
            ["size"] = volume.SizeGb,
            ["availabilityZone"] = volume.AvailabilityZone,
            ["createdAt"] = CinderJson.Timestamp(volume.CreatedAt),
            ["attachments"] = new[] { attachment },
            ["displayName"] = volume.Name,
            ["displayDescription"] = volume.Description,
            ["volumeType"] = volume.VolumeType,
            ["snapshotId"] = volume.SnapshotUuid,
            ["metadata"] = volume.Metadata,
        };
    }

    public static Dictionary<string, object?> Snapshot(SnapshotInfo snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new(StringComparer.Ordinal)
        {
            ["id"] = snapshot.Uuid,
            ["volumeId"] = snapshot.VolumeUuid,
            ["status"] = snapshot.Status,
            ["size"] = snapshot.SizeGb,
            ["createdAt"] = CinderJson.Timestamp(snapshot.CreatedAt),
            ["displayName"] = snapshot.Name,
            ["displayDescription"] = snapshot.Description,
        };
    }
}
