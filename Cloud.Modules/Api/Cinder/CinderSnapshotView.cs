using Cloud.Modules.Volume;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>Cinder's snapshot view (cinder/api/v3/views/snapshots.py), with the extended attributes the owner may see.</summary>
public static class CinderSnapshotView
{
    public static Dictionary<string, object?> Of(HttpContext context, SnapshotInfo snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var view = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = snapshot.Uuid,
            ["name"] = snapshot.Name,
            ["description"] = snapshot.Description,
            ["volume_id"] = snapshot.VolumeUuid,
            ["status"] = snapshot.Status,
            ["size"] = snapshot.SizeGb,
            ["created_at"] = CinderJson.Timestamp(snapshot.CreatedAt),
            ["updated_at"] = CinderJson.Timestamp(snapshot.UpdatedAt),
            ["metadata"] = new Dictionary<string, string>(),
            ["os-extended-snapshot-attributes:progress"] = snapshot.Progress,
            ["os-extended-snapshot-attributes:project_id"] = snapshot.ProjectId,
            ["links"] = CinderJson.Links(context, snapshot.ProjectId, "snapshots", snapshot.Uuid),
        };
        if (CinderVersions.AtLeast(context, 14))
        {
            view["group_snapshot_id"] = null;
        }
        if (CinderVersions.AtLeast(context, 41))
        {
            view["user_id"] = snapshot.UserId;
        }
        return view;
    }
}
