using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Who may do what (swift's tempauth/keystoneauth <c>authorize</c>): the account's owners and reseller admins reach the
/// whole account; anyone else only what a container's X-Container-Read / X-Container-Write grants. Large objects ask
/// it again for every segment and listing they touch, as swift's sub-requests pass through the auth middleware.
/// </summary>
public sealed class SwiftProxyAuthorizer(TempAuth auth, SwiftProxyAuthSettings settings, Identity.AuthenticationApi keystone, Identity.IdentityApi identities, ProxyInfoCache info)
{
    /// <summary>
    /// Whether the caller owns <paramref name="account"/>: a tempauth token (<c>AUTH_tk...</c>), or a Keystone token from
    /// the identity module held to keystoneauth's rules (<see cref="KeystoneAuth.KeystoneAuthRules.Owns"/>: an operator
    /// role on the account's project, with a service token when the prefix wants one; the reseller admin role for any
    /// account). Null when it does, else 401 (no valid token) or 403.
    /// </summary>
    /// <param name="context">The client's request.</param>
    /// <param name="account">The account asked for.</param>
    /// <param name="method">The request's method: only a reseller admin deletes an account.</param>
    /// <param name="accountRequest">The request is to the account itself (no container).</param>
    public async Task<(int Status, string Message)?> AuthorizeAccountAsync(HttpContext context, string account, string method = "GET", bool accountRequest = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = TokenOf(context.Request);
        if (await auth.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false) is { } user)
        {
            return user.MayUse(account) ? null : Forbidden;
        }
        if (await KeystoneIdentityAsync(context).ConfigureAwait(false) is not { } identity)
        {
            return Unauthorized;
        }
        return settings.Rules.Owns(identity, method, account, accountRequest) ? null : Forbidden;
    }

    /// <summary>Whether the caller is a reseller admin (tempauth <c>.reseller_admin</c>, or a Keystone user with swift_reseller_admin_role): only they set account quotas.</summary>
    public async Task<bool> IsResellerAdminAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = TokenOf(context.Request);
        if (await auth.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false) is { } user)
        {
            return user.Groups.Contains(TempAuth.ResellerAdminGroup);
        }
        return await KeystoneIdentityAsync(context).ConfigureAwait(false) is { } identity && settings.Rules.IsResellerAdmin(identity);
    }

    /// <summary>
    /// tempauth's whole <c>authorize</c> for <paramref name="method"/> on <paramref name="account"/> (and
    /// <paramref name="container"/>): its owners; else the container's ACLs; else the account's ACLs
    /// (<see cref="AccountAcl"/>). For the requests the proxy makes on a client's behalf (a copy's source and
    /// destination), which swift's sub-requests pass through the auth middleware for.
    /// </summary>
    public async Task<SwiftAccess> AuthorizeAsync(HttpContext context, string method, string account, string? container, bool listing)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await AuthorizeAccountAsync(context, account, method, container is null).ConfigureAwait(false) is not { } refusal)
        {
            return SwiftAccess.AsOwner;
        }
        if (container is not null && await AclAllowsAsync(context, method, account, container, listing).ConfigureAwait(false))
        {
            return SwiftAccess.Granted;
        }
        return await AccountAclAllowsAsync(context, method, account, container).ConfigureAwait(false) ?? SwiftAccess.Refused(refusal);
    }

    /// <summary>
    /// What the account's X-Account-Access-Control grants this caller for <paramref name="method"/>: admin makes it an
    /// owner; read-write lets it read the account and do anything to containers and objects; read-only lets it GET and
    /// HEAD. Null when it grants nothing (or the account has none).
    /// </summary>
    public async Task<SwiftAccess?> AccountAclAllowsAsync(HttpContext context, string method, string account, string? container)
    {
        ArgumentNullException.ThrowIfNull(context);
        var names = await AclNamesAsync(context, account).ConfigureAwait(false);
        if (names.Count == 0 || await AccountAclOfAsync(context, account).ConfigureAwait(false) is not { } acl)
        {
            return null;
        }
        var read = method is "GET" or "HEAD";
        if (acl.Admin.Overlaps(names))
        {
            return SwiftAccess.AsOwner;
        }
        if ((acl.ReadWrite.Overlaps(names) && (container is not null || read)) || (acl.ReadOnly.Overlaps(names) && read))
        {
            return SwiftAccess.Granted;
        }
        return null;
    }

    /// <summary>
    /// Whether the container's ACLs let this caller do <paramref name="method"/> on the container (a listing) or on one
    /// of its objects: reads (GET, HEAD) need X-Container-Read (its referrer rules matched against the Referer),
    /// object writes (PUT, POST, DELETE) X-Container-Write.
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
        using var head = await info.ContainerAsync(account, container, context.RequestAborted).ConfigureAwait(false);
        if (head is not { IsSuccessStatusCode: true })
        {
            return false;
        }
        string? Header(string name) => head.Headers.TryGetValues(name, out var v) ? string.Join(',', v) : null;
        var names = await AclNamesAsync(context, account).ConfigureAwait(false);
        return read
            ? ContainerAcl.AllowsRead(Header("X-Container-Read"), names, listing, context.Request.Headers.Referer.ToString())
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
        if (items[key] is not SwiftAccess access)
        {
            access = await AuthorizeAsync(request.Context, method, request.Account, container, listing).ConfigureAwait(false);
            items[key] = access;
        }
        return access.Refusal;
    }

    /// <summary>The account's ACL, read once per client request from the account's replicas (its system metadata).</summary>
    private async Task<AccountAcl?> AccountAclOfAsync(HttpContext context, string account)
    {
        var key = $"{nameof(SwiftProxyAuthorizer)}:account-acl:{account}";
        if (context.Items.TryGetValue(key, out var known))
        {
            return (AccountAcl?)known;
        }
        using var head = await info.AccountAsync(account, context.RequestAborted).ConfigureAwait(false);
        var acl = head is { IsSuccessStatusCode: true } && head.Headers.TryGetValues(AccountAcl.Header, out var values) ? AccountAcl.Parse(string.Join(',', values)) : null;
        context.Items[key] = acl;
        return acl;
    }

    /// <summary>Whether <paramref name="token"/> is one to check with Keystone: <c>swift_keystone_auth</c> (or an all-in-one) and not tempauth's.</summary>
    private bool AcceptsKeystone(string token) =>
        settings.Keystone && token.Length > 0 && !token.StartsWith("AUTH_tk", StringComparison.Ordinal);

    private static (int, string) Forbidden => (StatusCodes.Status403Forbidden, "Forbidden");

    private static (int, string) Unauthorized => (StatusCodes.Status401Unauthorized, "Unauthorized");

    private static string TokenOf(HttpRequest request) =>
        request.Headers["X-Auth-Token"].ToString() is { Length: > 0 } token ? token : request.Headers["X-Storage-Token"].ToString();

    /// <summary>
    /// The caller's names for ACLs: tempauth <c>account:user</c> and <c>account</c>; Keystone's as keystoneauth matches
    /// them (<see cref="KeystoneAuth.KeystoneAuthRules.AclNames"/>).
    /// </summary>
    private async Task<IReadOnlyCollection<string>> AclNamesAsync(HttpContext context, string account)
    {
        var token = TokenOf(context.Request);
        if (await auth.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false) is { } user)
        {
            // tempauth's groups: account:user and account, and AUTH_<account> for the account's admins.
            return user.Groups.Contains(TempAuth.AdminGroup)
                ? [$"{user.Account}:{user.User}", user.Account, TempAuth.ResellerPrefix + user.Account]
                : [$"{user.Account}:{user.User}", user.Account];
        }
        if (await KeystoneIdentityAsync(context).ConfigureAwait(false) is not { } identity)
        {
            return [];
        }
        // Whether names count is only looked up (one project read) when an ACL is consulted, never for an owner.
        var payload = (Identity.Tokens.TokenPayload)context.Items[nameof(SwiftProxyAuthorizer) + ":keystone:payload"]!;
        return settings.Rules.AclNames(identity with { NamesInDefaultDomain = await NamesInDefaultDomainAsync(context, payload).ConfigureAwait(false) }, account);
    }

    /// <summary>
    /// The Keystone caller of this request (validated once per client request), or null: no Keystone token, or one that
    /// is missing, forged, expired, revoked or an image reader's, or an <c>X-Service-Token</c> that is not valid
    /// (keystoneauth then treats the caller as anonymous, as authtoken marks the identity unconfirmed).
    /// </summary>
    private async Task<KeystoneAuth.KeystoneIdentity?> KeystoneIdentityAsync(HttpContext context)
    {
        const string Key = nameof(SwiftProxyAuthorizer) + ":keystone";
        if (context.Items.TryGetValue(Key, out var known))
        {
            return (KeystoneAuth.KeystoneIdentity?)known;
        }
        var token = TokenOf(context.Request);
        KeystoneAuth.KeystoneIdentity? identity = null;
        if (AcceptsKeystone(token))
        {
            try
            {
                var caller = await keystone.PayloadFromTokenAsync(token, context.RequestAborted).ConfigureAwait(false);
                IReadOnlyCollection<string> serviceRoles = [];
                var serviceToken = context.Request.Headers["X-Service-Token"].ToString();
                if (serviceToken.Length > 0)
                {
                    serviceRoles = (await keystone.PayloadFromTokenAsync(serviceToken, context.RequestAborted).ConfigureAwait(false)).Roles;
                }
                identity = new(caller.UserId, caller.ProjectId, caller.Roles, serviceRoles, caller.UserName, caller.ProjectName);
                context.Items[Key + ":payload"] = caller;
            }
            catch (Kernel.CloudException)
            {
                identity = null;
            }
        }
        context.Items[Key] = identity;
        return identity;
    }

    /// <summary>keystoneauth's <c>_is_name_allowed_in_acl</c>: the user and the token's project are in the default domain.</summary>
    private async Task<bool> NamesInDefaultDomainAsync(HttpContext context, Identity.Tokens.TokenPayload caller)
    {
        const string Key = nameof(SwiftProxyAuthorizer) + ":keystone:names";
        if (context.Items.TryGetValue(Key, out var known))
        {
            return (bool)known!;
        }
        var allowed = (caller.UserDomainId ?? Identity.Domain.DefaultId) == Identity.Domain.DefaultId && caller.ProjectId is not null
            && (await identities.FindProjectAsync(null, caller.ProjectId, context.RequestAborted).ConfigureAwait(false))?.DomainId == Identity.Domain.DefaultId;
        context.Items[Key] = allowed;
        return allowed;
    }
}
