using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// A caller who does not own the account goes on only where the container's X-Container-Read / X-Container-Write
/// grants it; else the account's refusal stands. ACLs set on a container are checked and normalised as swift's
/// <c>clean_acl</c> does (400 with its message).
/// </summary>
public sealed class ContainerAclMiddleware(SwiftProxyAuthorizer authorizer) : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    private static readonly string[] AclHeaders = ["X-Container-Read", "X-Container-Write"];

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
        if (request.Object is null && request.Container is not null && request.Method is "PUT" or "POST")
        {
            var headers = request.Context.Request.Headers;
            foreach (var name in AclHeaders.Where(headers.ContainsKey))
            {
                try
                {
                    headers[name] = ContainerAcl.Clean(name, headers[name].ToString());
                }
                catch (FormatException e)
                {
                    await SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
                    return;
                }
            }
        }
        await next(request).ConfigureAwait(false);
    }
}
