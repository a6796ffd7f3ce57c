using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>Cinder's volume views (cinder/api/v3/views/volumes.py): the summary of a list, the detail of show, create and detail.</summary>
public static class CinderVolumeView
{
    public static Dictionary<string, object?> Summary(HttpContext context, VolumeInfo volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return new(StringComparer.Ordinal)
        {
            ["id"] = volume.Uuid,
            ["name"] = volume.Name,
            ["links"] = CinderJson.Links(context, volume.ProjectId, "volumes", volume.Uuid),
        };
    }

    /// <summary>The detail view at the request's microversion; the host and migration attributes only for an admin.</summary>
    public static Dictionary<string, object?> Detail(HttpContext context, RequestContext caller, VolumeInfo volume)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(volume);
        var view = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = volume.Uuid,
            ["name"] = volume.Name,
            ["description"] = volume.Description,
            ["status"] = volume.Status,
            ["size"] = volume.SizeGb,
            ["availability_zone"] = volume.AvailabilityZone,
            ["created_at"] = CinderJson.Timestamp(volume.CreatedAt),
            ["updated_at"] = CinderJson.Timestamp(volume.UpdatedAt),
            ["attachments"] = Attachments(volume),
            ["bootable"] = volume.Bootable ? "true" : "false",
            ["encrypted"] = false,
            ["multiattach"] = false,
            ["volume_type"] = volume.VolumeType,
            ["snapshot_id"] = volume.SnapshotUuid,
            ["source_volid"] = volume.SourceVolumeUuid,
            ["consistencygroup_id"] = null,
            ["replication_status"] = null,
            ["migration_status"] = null,
            ["metadata"] = volume.Metadata,
            ["user_id"] = volume.UserId,
            ["os-vol-tenant-attr:tenant_id"] = volume.ProjectId,
            ["links"] = CinderJson.Links(context, volume.ProjectId, "volumes", volume.Uuid),
        };
        if (volume.ImageMetadata.Count > 0)
        {
            view["volume_image_metadata"] = volume.ImageMetadata;
        }
        if (caller.IsAdmin)
        {
            view["os-vol-host-attr:host"] = volume.Host;
            view["os-vol-mig-status-attr:migstat"] = null;
            view["os-vol-mig-status-attr:name_id"] = null;
        }
        if (CinderVersions.AtLeast(context, 13))
        {
            view["group_id"] = null;
        }
        if (CinderVersions.AtLeast(context, 21) && caller.IsAdmin)
        {
            view["provider_id"] = null;
        }
        return view;
    }

    /// <summary>The volume's one attachment (no multiattach); <c>id</c> is the volume's id, as Cinder's legacy view has it.</summary>
    private static object[] Attachments(VolumeInfo volume) =>
        volume.AttachmentId is null || volume.InstanceUuid is null || volume.Status is not (VolumeStatuses.InUse or VolumeStatuses.Detaching)
            ? []
            : [new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["id"] = volume.Uuid,
                ["attachment_id"] = volume.AttachmentId,
                ["volume_id"] = volume.Uuid,
                ["server_id"] = volume.InstanceUuid,
                ["host_name"] = volume.AttachedHost,
                ["device"] = volume.Mountpoint,
                ["attached_at"] = CinderJson.Timestamp(volume.AttachedAt),
            }];
}
