using Cloud.Modules.Identity;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>
/// Who calls a Keystone administration route, and Keystone's default policy for it: admins (project-, domain- or
/// system-scoped) may do everything, system readers may read, everyone else only what concerns themselves.
/// </summary>
public sealed class KeystoneCaller(TokenApi tokens)
{
    /// <summary>The caller's token; 401 when it is missing, forged, expired or revoked.</summary>
    public async Task<TokenPayload> OfAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = context.Request.Headers["X-Auth-Token"].ToString();
        if (token.Length == 0)
        {
            throw CloudException.Unauthorized("The request you have made requires authentication.");
        }
        return await tokens.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The caller, when they are an admin, or (for a read, <paramref name="read"/>) a system reader, or <paramref name="self"/> holds.</summary>
    public async Task<TokenPayload> AuthorizeAsync(HttpContext context, string rule, bool read = false, Func<TokenPayload, bool>? self = null)
    {
        var caller = await OfAsync(context).ConfigureAwait(false);
        Authorize(caller, rule, read, self);
        return caller;
    }

    public static bool IsAdmin(TokenPayload caller) => caller.Roles.Contains(Roles.Admin);

    /// <summary>Keystone's 403 for <paramref name="rule"/> unless the caller may.</summary>
    public static void Authorize(TokenPayload caller, string rule, bool read = false, Func<TokenPayload, bool>? self = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (IsAdmin(caller) || (read && caller.System && caller.Roles.Contains(Roles.Reader)) || (self is not null && self(caller)))
        {
            return;
        }
        throw CloudException.Forbidden($"You are not authorized to perform the requested action: identity:{rule}.");
    }
}
