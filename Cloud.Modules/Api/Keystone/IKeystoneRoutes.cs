using Microsoft.AspNetCore.Builder;

namespace Cloud.Modules.Api.Keystone;

/// <summary>
/// One group of Keystone v3 routes beyond tokens and discovery (domains, projects, users, application credentials, ...),
/// registered with <c>services.AddSingleton&lt;IKeystoneRoutes, XxxRoutes&gt;()</c> and mapped by <see cref="KeystoneRoutes"/>.
/// </summary>
public interface IKeystoneRoutes
{
    void Map(WebApplication app);
}
