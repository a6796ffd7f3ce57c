using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>gatekeeper</c>, second in the pipeline: system metadata (X-Account/Container/Object-Sysmeta-*,
/// X-Object-Transient-Sysmeta-*) and X-Backend-* headers belong to the cluster, so a client's are dropped on the way
/// in (it may not set them) and the cluster's on the way out (it may not read them).
/// </summary>
public sealed class GatekeeperMiddleware : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    public const string FilterName = "gatekeeper";

    private static readonly string[] Reserved =
        ["X-Account-Sysmeta-", "X-Container-Sysmeta-", "X-Object-Sysmeta-", "X-Object-Transient-Sysmeta-", "X-Backend-"];

    public Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var context = request.Context;
        Strip(context.Request.Headers);
        context.Response.OnStarting(() =>
        {
            Strip(context.Response.Headers);
            return Task.CompletedTask;
        });
        return next(request);
    }

    /// <summary>True for a header only the cluster may set or read.</summary>
    public static bool IsReserved(string header) => Reserved.Any(prefix => header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private static void Strip(IHeaderDictionary headers)
    {
        foreach (var name in headers.Keys.Where(IsReserved).ToList())
        {
            headers.Remove(name);
        }
    }
}
