using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// CORS as swift's proxy controllers do it (<c>OPTIONS</c> and <c>cors_validation</c>; not a filter of swift's
/// pipeline, so first here, before authentication, as swift lets every OPTIONS through tempauth): a preflight OPTIONS is
/// answered without a token, 200 with Access-Control-Allow-* when the container's X-Container-Meta-Access-Control-Allow-Origin
/// (or swift_cors_allow_origin) allows the Origin and the method, else 401; an actual request with an Origin gets
/// Access-Control-Allow-Origin and -Expose-Headers on whatever it is answered (in strict mode only for an allowed Origin).
/// </summary>
public sealed class CorsMiddleware(IOptions<SwiftWebFlags> flags, SwiftRings rings, SwiftBackend backend) : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    /// <summary>Not one of swift's filters (its CORS lives in the proxy server); named for the pipeline flag.</summary>
    public const string FilterName = "cors";

    /// <summary>What swift's account, container and object controllers allow (their public methods).</summary>
    private const string AllowedMethods = "COPY, DELETE, GET, HEAD, OPTIONS, POST, PUT";

    private const string ContainerAllowedMethods = "DELETE, GET, HEAD, OPTIONS, POST, PUT";

    // swift's cors_validation: the simple response headers and its own, always exposed.
    private static readonly string[] AlwaysExposed =
        ["cache-control", "content-language", "content-type", "expires", "last-modified", "pragma", "etag", "x-timestamp", "x-trans-id", "x-openstack-request-id"];

    private readonly IReadOnlyList<string> _clusterOrigins = SwiftWebFlags.List(flags.Value.SwiftCorsAllowOrigin);

    private readonly IReadOnlyList<string> _clusterExposed = SwiftWebFlags.List(flags.Value.SwiftCorsExposeHeaders);

    private readonly bool _strict = flags.Value.SwiftStrictCorsMode;

    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var origin = request.Context.Request.Headers.Origin.ToString();
        if (request.Method == "OPTIONS")
        {
            await PreflightAsync(request, origin).ConfigureAwait(false);
            return;
        }
        if (origin.Length > 0 && request.Container is not null)
        {
            var info = await ProxyContainerInfo.GetAsync(rings, backend, request).ConfigureAwait(false);
            var response = request.Context.Response;
            response.OnStarting(() =>
            {
                AddActualHeaders(response, info, origin);
                return Task.CompletedTask;
            });
        }
        await next(request).ConfigureAwait(false);
    }

    private async Task PreflightAsync(SwiftProxyRequest request, string origin)
    {
        var context = request.Context;
        // swift's account controller allows what its container controller does; objects also COPY.
        var methods = request.Object is not null ? AllowedMethods : ContainerAllowedMethods;
        context.Response.Headers.Allow = methods;
        if (origin.Length == 0 || request.Container is null)
        {
            Empty(context.Response);
            // swob's default type; a preflight's answer replaces all its headers and has none.
            context.Response.ContentType = SwiftErrorPage.ContentType;
            return;
        }
        var info = await ProxyContainerInfo.GetAsync(rings, backend, request).ConfigureAwait(false);
        var requested = context.Request.Headers.AccessControlRequestMethod.ToString();
        if (!IsAllowed(info, origin) || !methods.Split(", ").Contains(requested, StringComparer.Ordinal))
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized").ConfigureAwait(false);
            return;
        }
        var headers = context.Response.Headers;
        SetAllowOrigin(headers, info, origin);
        if (info.Meta.TryGetValue("access-control-max-age", out var maxAge))
        {
            headers.AccessControlMaxAge = maxAge;
        }
        headers.AccessControlAllowMethods = methods;
        var requestedHeaders = SwiftWebFlags.List(context.Request.Headers.AccessControlRequestHeaders.ToString());
        if (requestedHeaders.Count > 0)
        {
            headers.AccessControlAllowHeaders = string.Join(", ", requestedHeaders.Distinct(StringComparer.Ordinal));
            headers.Vary = headers.Vary.Count > 0 ? $"{headers.Vary}, Access-Control-Request-Headers" : "Access-Control-Request-Headers";
        }
        Empty(context.Response);
    }

    /// <summary>swift's bare 200 to an OPTIONS: no body, no Content-Type.</summary>
    private static void Empty(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = 0;
    }

    private void AddActualHeaders(HttpResponse response, ProxyContainerInfo info, string origin)
    {
        if (_strict && !IsAllowed(info, origin))
        {
            return;
        }
        var headers = response.Headers;
        if (!headers.ContainsKey("Access-Control-Expose-Headers"))
        {
            var exposed = new SortedSet<string>(AlwaysExposed, StringComparer.Ordinal);
            exposed.UnionWith(_clusterExposed);
            exposed.UnionWith(headers.Keys
                .Where(h => h.StartsWith("X-Container-Meta", StringComparison.OrdinalIgnoreCase) || h.StartsWith("X-Object-Meta", StringComparison.OrdinalIgnoreCase))
                .Select(h => h.ToLowerInvariant()));
            exposed.UnionWith(info.MetaOf("access-control-expose-headers").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(h => h.ToLowerInvariant()));
            headers.AccessControlExposeHeaders = string.Join(", ", exposed);
        }
        if (!headers.ContainsKey("Access-Control-Allow-Origin"))
        {
            SetAllowOrigin(headers, info, origin);
        }
    }

    private static void SetAllowOrigin(IHeaderDictionary headers, ProxyContainerInfo info, string origin)
    {
        if (info.MetaOf("access-control-allow-origin") == "*")
        {
            headers.AccessControlAllowOrigin = "*";
            return;
        }
        headers.AccessControlAllowOrigin = origin;
        headers.Vary = headers.Vary.Count > 0 ? $"{headers.Vary}, Origin" : "Origin";
    }

    /// <summary>swift's <c>is_origin_allowed</c>: the container's space-separated origins and the cluster's, or '*'.</summary>
    private bool IsAllowed(ProxyContainerInfo info, string origin)
    {
        var allowed = info.MetaOf("access-control-allow-origin").Split(' ', StringSplitOptions.RemoveEmptyEntries).Concat(_clusterOrigins).ToHashSet(StringComparer.Ordinal);
        return allowed.Contains(origin) || allowed.Contains("*");
    }
}
