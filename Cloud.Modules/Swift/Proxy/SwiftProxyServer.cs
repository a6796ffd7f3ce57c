using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Swift's proxy server (swift-proxy-server with tempauth): <c>/healthcheck</c>, <c>/info</c>, <c>/auth/v1.0</c>, and the
/// Swift API under <c>/v1/AUTH_&lt;account&gt;</c>, which it checks and spreads over the storage servers by the rings.
/// Every request goes through <see cref="SwiftProxyPipeline"/>.
/// </summary>
public sealed class SwiftProxyServer(SwiftProxyPipeline pipeline)
{
    /// <summary>Swift's <c>MAX_FILE_SIZE</c>: the largest object, and the proxy's request body limit.</summary>
    public const long MaxFileSize = (5L << 30) + 2;

    /// <summary>
    /// Adds the proxy's routes: one catch-all for every method, as names are split from the raw target (objects keep
    /// %2F) and a method no controller knows is theirs to refuse with 405, as swift's proxy does.
    /// </summary>
    public void Map(WebApplication app) =>
        app.Map("/{**path}", HandleAsync);

    private Task HandleAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var queryAt = raw.IndexOf('?', StringComparison.Ordinal);
        return pipeline.RunAsync(new SwiftProxyEntry(context, queryAt < 0 ? raw : raw[..queryAt], queryAt < 0 ? "" : raw[queryAt..]));
    }
}
