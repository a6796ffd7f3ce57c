using Cloud.Modules.Swift.Proxy.Pipeline;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// A caller who does not own the account goes on only where the container's X-Container-Read / X-Container-Write
/// grants it; else the account's refusal stands.
/// </summary>
public sealed class ContainerAclMiddleware(SwiftProxyAuthorizer authorizer) : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (request.AccountRefusal is { } refusal
            && !await authorizer.AclAllowsAsync(request.Context, request.Context.Request.Method, request.Account, request.Container!, request.Object is null).ConfigureAwait(false))
        {
            await SwiftProxyReply.ErrorAsync(request.Context, refusal.Status, refusal.Message).ConfigureAwait(false);
            return;
        }
        await next(request).ConfigureAwait(false);
    }
}
