using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Pipeline;

/// <summary>A request as it enters the proxy, its path and query split from the raw target (so objects keep %2F).</summary>
/// <param name="Context">The client's request.</param>
/// <param name="Path">The raw path, still percent-encoded.</param>
/// <param name="Query">The raw query string with its leading '?', or empty.</param>
public sealed record SwiftProxyEntry(HttpContext Context, string Path, string Query)
{
    /// <summary>The client's method as sent.</summary>
    public string Method => Context.Request.Method;
}
