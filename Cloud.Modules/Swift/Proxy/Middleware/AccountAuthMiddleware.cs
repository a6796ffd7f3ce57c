using Cloud.Modules.Swift.Proxy.Pipeline;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// tempauth/keystoneauth's <c>authorize</c> for the account: its owners go on owning it; anyone else is refused (401
/// or 403) at the account, and goes on to <see cref="ContainerAclMiddleware"/> below it, carrying the refusal.
/// </summary>
public sealed class AccountAuthMiddleware(SwiftProxyAuthorizer authorizer) : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (TempUrl.TempUrlGrant.Of(request.Context) is { } grant)
        {
            // A temporary URL or form post signature stands in for a token, within the account or container it opens;
            // a container key's does not own the account, so copies and segments from other containers stay closed.
            await (grant.Allows(request.Account, request.Container) ? next(grant.Container is null ? request : request with { OwnsAccount = false })
                : SwiftProxyReply.ErrorAsync(request.Context, Microsoft.AspNetCore.Http.StatusCodes.Status401Unauthorized, "Unauthorized")).ConfigureAwait(false);
            return;
        }
        if (await authorizer.AuthorizeAccountAsync(request.Context, request.Account).ConfigureAwait(false) is not { } refusal)
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        if (request.Container is null)
        {
            await SwiftProxyReply.ErrorAsync(request.Context, refusal.Status, refusal.Message).ConfigureAwait(false);
            return;
        }
        await next(request with { OwnsAccount = false, AccountRefusal = refusal }).ConfigureAwait(false);
    }
}
