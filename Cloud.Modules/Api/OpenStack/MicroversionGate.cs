using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// Routes that exist only from a microversion on (server tags from 2.26): below it nova answers 404 with webob's
/// "The resource could not be found."; <see cref="ProxyApiGate"/> ends the proxy APIs after <see cref="LastProxyMinor"/>.
/// </summary>
public static class MicroversionGate
{
    /// <summary>The last microversion of nova's proxy APIs (2.36 removed them).</summary>
    public const int LastProxyMinor = 35;

    /// <summary>Throws nova's 404 unless the request's microversion is 2.<paramref name="since"/> or later.</summary>
    public static void RequireAtLeast(HttpContext context, int since)
    {
        if (!NovaVersions.Of(context).AtLeast(since))
        {
            throw NotFound();
        }
    }

    private static CloudException NotFound() => CloudException.NotFound("The resource could not be found.");
}
