using Microsoft.AspNetCore.Builder;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>The OpenStack Compute API v2.1 on <c>osapi_compute_listen_port</c>: version negotiation first, then every route group.</summary>
public sealed class OsapiComputeRoutes(IEnumerable<INovaRoutes> groups)
{
    public void Map(WebApplication app)
    {
        NovaVersions.Map(app);
        foreach (var group in groups)
        {
            group.Map(app);
        }
    }
}
