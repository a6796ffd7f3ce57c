using System.Text;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// tempauth/keystoneauth's <c>authorize</c> for the account: its owners go on owning it, and so do the admins its
/// X-Account-Access-Control names; whom that ACL grants read-only or read-write goes on as a guest. Anyone else is
/// refused (401 or 403) at the account, and goes on to <see cref="ContainerAclMiddleware"/> below it, carrying the
/// refusal. A COPY goes on as is: <see cref="CopyMiddleware"/> authorises its source and destination as swift's
/// sub-requests are. Guests never set nor see the owners' headers (<see cref="SwiftOwnerHeaders"/>).
/// </summary>
public sealed class AccountAuthMiddleware(SwiftProxyAuthorizer authorizer) : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var context = request.Context;
        if (await RefuseInvalidAccountAclAsync(context).ConfigureAwait(false))
        {
            return;
        }
        if (TempUrl.TempUrlGrant.Of(context) is { } grant)
        {
            // A temporary URL or form post signature stands in for a token, within the account or container it opens;
            // a container key's does not own the account, so copies and segments from other containers stay closed.
            await (grant.Allows(request.Account, request.Container) ? next(grant.Container is null ? request : request with { OwnsAccount = false })
                : SwiftProxyReply.ErrorAsync(context, Microsoft.AspNetCore.Http.StatusCodes.Status401Unauthorized, "Unauthorized")).ConfigureAwait(false);
            return;
        }
        if (ContainerSync.ContainerSyncGrant.Of(context) is { } synced && synced.Allows(request.Account, request.Container) && request.Object is not null)
        {
            // Another cluster's container-sync daemon, let in by the container's sync key or the realm's signature.
            await next(request with { OwnsAccount = false }).ConfigureAwait(false);
            return;
        }
        if (await authorizer.AuthorizeAccountAsync(context, request.Account, request.Method, request.Container is null).ConfigureAwait(false) is not { } refusal)
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        var granted = await authorizer.AccountAclAllowsAsync(context, request.Method, request.Account, request.Container).ConfigureAwait(false);
        if (granted is { Owner: true })
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        SwiftOwnerHeaders.HideFrom(context);
        if (granted is not null || (request.Method == "COPY" && request.Object is not null))
        {
            await next(request with { OwnsAccount = false }).ConfigureAwait(false);
            return;
        }
        if (request.Container is null)
        {
            await SwiftProxyReply.ErrorAsync(context, refusal.Status, refusal.Message).ConfigureAwait(false);
            return;
        }
        await next(request with { OwnsAccount = false, AccountRefusal = refusal }).ConfigureAwait(false);
    }

    /// <summary>
    /// tempauth checks any X-Account-Access-Control sent, whoever sends it, before anything else: 400 with its message
    /// when invalid; else the value goes on as the account stores it (an empty value or {} clears it; swift 2.30 ignores
    /// X-Remove-Account-Access-Control, and so does this).
    /// </summary>
    private static async Task<bool> RefuseInvalidAccountAclAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (!headers.TryGetValue(AccountAcl.Header, out var sent))
        {
            return false;
        }
        var input = sent.ToString();
        var (normalised, error) = AccountAcl.Check(input);
        if (error is null)
        {
            headers[AccountAcl.Header] = normalised;
            return false;
        }
        var body = Encoding.UTF8.GetBytes($"{AccountAcl.Header} invalid: {error}\n\nInput: {input}\n");
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=UTF-8";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        return true;
    }
}
