using Microsoft.AspNetCore.Builder;

namespace Cloud.Modules.Api.Cinder;

/// <summary>The OpenStack Block Storage API v3 on <c>osapi_volume_listen_port</c>: version negotiation first, then every route group.</summary>
public sealed class CinderRoutes(
    CinderVolumesRoutes volumes,
    CinderVolumeMetadataRoutes metadata,
    CinderVolumeActionsRoutes actions,
    CinderSnapshotsRoutes snapshots,
    CinderAttachmentsRoutes attachments,
    CinderInfoRoutes info,
    CinderQuotaRoutes quotas)
{
    public void Map(WebApplication app)
    {
        CinderVersions.Map(app);
        volumes.Map(app);
        metadata.Map(app);
        actions.Map(app);
        snapshots.Map(app);
        attachments.Map(app);
        info.Map(app);
        quotas.Map(app);
    }
}
