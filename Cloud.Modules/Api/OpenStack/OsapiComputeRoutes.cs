using Microsoft.AspNetCore.Builder;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>The OpenStack Compute API v2.1 on <c>osapi_compute_listen_port</c>: version negotiation first, then every route group.</summary>
public sealed class OsapiComputeRoutes(
    ServersRoutes servers,
    ServerActionsRoutes actions,
    FlavorsRoutes flavors,
    NovaImagesRoutes images,
    KeyPairsRoutes keyPairs,
    SecurityGroupsRoutes securityGroups,
    ComputeInfoRoutes info,
    FloatingIpsRoutes floatingIps,
    VolumeAttachmentsRoutes volumeAttachments,
    NovaVolumesRoutes volumes,
    NovaQuotaSetsRoutes quotaSets)
{
    public void Map(WebApplication app)
    {
        NovaVersions.Map(app);
        servers.Map(app);
        actions.Map(app);
        flavors.Map(app);
        images.Map(app);
        keyPairs.Map(app);
        securityGroups.Map(app);
        info.Map(app);
        floatingIps.Map(app);
        volumeAttachments.Map(app);
        volumes.Map(app);
        quotaSets.Map(app);
    }
}
