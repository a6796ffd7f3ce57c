using Microsoft.AspNetCore.Builder;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// One group of Compute API routes (servers, flavors, os-services, ...). Registered with
/// <c>services.AddSingleton&lt;INovaRoutes, XxxRoutes&gt;()</c>; <see cref="OsapiComputeRoutes"/> maps every group after
/// version negotiation.
/// </summary>
public interface INovaRoutes
{
    void Map(WebApplication app);
}
