using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Who may do what (swift's tempauth/keystoneauth <c>authorize</c>): the account's owners and reseller admins reach the
/// whole account; anyone else only what a container's X-Container-Read / X-Container-Write grants. Large objects ask
/// it again for every segment and listing they touch, as swift's sub-requests pass through the auth middleware.
/// </summary>
public sealed class SwiftProxyAuthorizer(TempAuth auth, SwiftProxyAuthSettings settings, Identity.AuthenticationApi keystone, SwiftRings rings, SwiftBackend backend)
{
    /// <summary>
    /// Whether the caller owns <paramref name="account"/>: a tempauth token (<c>AUTH_tk...</c>) or a Keystone token from
    /// the identity module: a Keystone user may use the account of the project the token is scoped to
    /// (<c>AUTH_&lt;project id&gt;</c>, as the catalog says), an admin any account. Null when it does, else 401 or 403.
    /// </summary>
    public async Task<(int Status, string Message)?> AuthorizeAccountAsync(HttpContext context, string account)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = TokenOf(context.Request);
        if (await auth.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false) is { } user)
        {
            return user.MayUse(account) ? null : Forbidden;
        }
        if (!AcceptsKeystone(token))
        {
            return Unauthorized;
        }
        Kernel.Auth.RequestContext caller;
        try
        {
            caller = await keystone.FromTokenAsync(token, (string)context.Items[nameof(Kernel.Auth.RequestContext.RequestId)]!, null, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Kernel.CloudException)
        {
            return Unauthorized;
        }
        return caller.IsAdmin || (caller.ProjectId is { } project && account == TempAuth.ResellerPrefix + project) ? null : Forbidden;
    }

    /// <summary>Whether the caller is a reseller admin (tempauth <c>.reseller_admin</c>, or a Keystone admin): only they set account quotas.</summary>
    public async Task<bool> IsResellerAdminAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = TokenOf(context.Request);
        if (await auth.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false) is { } user)
        {
            return user.Groups.Contains(TempAuth.ResellerAdminGroup);
        }
        if (!AcceptsKeystone(token))
        {
            return false;
        }
        try
        {
            return (await keystone.FromTokenAsync(token, "", null, context.RequestAborted).ConfigureAwait(false)).IsAdmin;
        }
        catch (Kernel.CloudException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether the container's ACLs let this caller do <paramref name="method"/> on the container (a listing) or on one
    /// of its objects: reads (GET, HEAD) need X-Container-Read, object writes (PUT, POST, DELETE) X-Container-Write.
    /// </summary>
    public async Task<bool> AclAllowsAsync(HttpContext context, string method, string account, string container, bool listing)
    {
        ArgumentNullException.ThrowIfNull(context);
        var read = method is "GET" or "HEAD";
        if (!read && (listing || method is not ("PUT" or "POST" or "DELETE")))
        {
            // Container writes (create, delete, set ACLs) stay with the account's owners.
            return false;
        }
        var (part, _) = rings.Container.GetNodes(account, container);
        using var head = await backend.FirstAsync(rings.Container, part, n => SwiftBackend.PathOf(n, part, account, container), "HEAD", null, context.RequestAborted).ConfigureAwait(false);
        if (head is not { IsSuccessStatusCode: true })
        {
            return false;
        }
        string? Header(string name) => head.Headers.TryGetValues(name, out var v) ? string.Join(',', v) : null;
        var names = await AclNamesAsync(context).ConfigureAwait(false);
        return read
            ? ContainerAcl.AllowsRead(Header("X-Container-Read"), names, listing)
            : ContainerAcl.AllowsWrite(Header("X-Container-Write"), names);
    }

    /// <summary>
    /// Checks a request the proxy makes on the caller's behalf (a large object's segment or listing), in the caller's
    /// account, as if the caller had sent it: null when allowed, else 401 (no valid token) or 403. Answers are kept for
    /// the rest of the client's request, so a manifest of many segments in one container costs one container HEAD.
    /// </summary>
    public async Task<(int Status, string Message)?> CheckSubrequestAsync(SwiftProxyRequest request, string method, string container, bool listing)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.OwnsAccount)
        {
            return null;
        }
        if (Middleware.TempUrl.TempUrlGrant.Of(request.Context) is { } grant)
        {
            // A container key's temporary URL reaches its own container's segments, nothing else (swift's authorize_same_container).
            return grant.Allows(request.Account, container) ? null : Unauthorized;
        }
        var items = request.Context.Items;
        var key = $"{nameof(SwiftProxyAuthorizer)}:{method}:{listing}:{container}";
        if (items[key] is not bool allowed)
        {
            allowed = await AclAllowsAsync(request.Context, method, request.Account, container, listing).ConfigureAwait(false);
            items[key] = allowed;
        }
        if (allowed)
        {
            return null;
        }
        return (await AclNamesAsync(request.Context).ConfigureAwait(false)).Count == 0 ? Unauthorized : Forbidden;
    }

    /// <summary>Whether <paramref name="token"/> is one to check with Keystone: <c>swift_keystone_auth</c> (or an all-in-one) and not tempauth's.</summary>
    private bool AcceptsKeystone(string token) =>
        settings.Keystone && token.Length > 0 && !token.StartsWith("AUTH_tk", StringComparison.Ordinal);

    private static (int, string) Forbidden => (StatusCodes.Status403Forbidden, "Forbidden");

    private static (int, string) Unauthorized => (StatusCodes.Status401Unauthorized, "Unauthorized");

    private static string TokenOf(HttpRequest request) =>
        request.Headers["X-Auth-Token"].ToString() is { Length: > 0 } token ? token : request.Headers["X-Storage-Token"].ToString();

    /// <summary>The caller's names for ACLs: tempauth <c>account:user</c> and <c>account</c>, Keystone <c>project:user</c> and <c>project:*</c>.</summary>
    private async Task<IReadOnlyCollection<string>> AclNamesAsync(HttpContext context)
    {
        var token = TokenOf(context.Request);
        if (await auth.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false) is { } user)
        {
            return [$"{user.Account}:{user.User}", user.Account];
        }
        if (!AcceptsKeystone(token))
        {
            return [];
        }
        try
        {
            var caller = await keystone.FromTokenAsync(token, "", null, context.RequestAborted).ConfigureAwait(false);
            return caller.ProjectId is null ? [] : [$"{caller.ProjectId}:{caller.UserId}", $"{caller.ProjectId}:*"];
        }
        catch (Kernel.CloudException)
        {
            return [];
        }
    }
}
