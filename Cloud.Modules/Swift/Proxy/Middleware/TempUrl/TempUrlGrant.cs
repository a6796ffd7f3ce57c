using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware.TempUrl;

/// <summary>
/// What a valid temporary URL or form post signature opens (swift's <c>swift.authorize</c> override): the whole account
/// for an account key, one container for a container key. Kept in the request's items for the auth middleware below,
/// and for the sub-requests (symlink targets, large object segments) made on its behalf.
/// </summary>
public sealed record TempUrlGrant(string Account, string? Container)
{
    private const string ItemKey = "swift.tempurl.grant";

    /// <summary>The grant of the request, or null when no signature opened it.</summary>
    public static TempUrlGrant? Of(HttpContext context) => context?.Items[ItemKey] as TempUrlGrant;

    /// <summary>Gives the request this grant.</summary>
    public void Apply(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[ItemKey] = this;
    }

    /// <summary>Whether the grant reaches <paramref name="container"/> of <paramref name="account"/>.</summary>
    public bool Allows(string account, string? container) =>
        account == Account && (Container is null || container == Container);
}
