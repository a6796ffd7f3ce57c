using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's proxy APIs (images, os-networks, os-tenant-networks, os-floating-ips, os-floating-ip-pools,
/// os-security-groups, os-security-group-rules, os-volumes, os-snapshots, os-baremetal-nodes) end at 2.35: from 2.36
/// every route under them answers nova's 404, whichever group serves it below 2.36.
/// </summary>
public sealed class ProxyApiGate : INovaRoutes
{
    private static readonly string[] Prefixes =
    [
        "/v2.1/images", "/v2.1/os-networks", "/v2.1/os-tenant-networks", "/v2.1/os-floating-ips", "/v2.1/os-floating-ip-pools",
        "/v2.1/os-security-groups", "/v2.1/os-security-group-rules", "/v2.1/os-volumes", "/v2.1/os-snapshots", "/v2.1/os-baremetal-nodes",
    ];

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Middleware runs before any endpoint whatever the order of mapping, and after version negotiation.
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (NovaVersions.Of(context).AtLeast(MicroversionGate.LastProxyMinor + 1) && Prefixes.Any(p => IsUnder(path, p)))
            {
                await NovaJson.WriteErrorAsync(context, StatusCodes.Status404NotFound, "The resource could not be found.").ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
        });
    }

    private static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/');
}
