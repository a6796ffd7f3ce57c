using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Swift's <c>swift_owner_headers</c>: headers only the account's owners may set or see (ACLs, sync and temp URL keys).
/// A caller let in by an ACL has them dropped from its request and from the answer, as Swift's proxy does.
/// </summary>
public static class SwiftOwnerHeaders
{
    private static readonly string[] Names =
    [
        "X-Container-Read", "X-Container-Write", "X-Container-Sync-Key", "X-Container-Sync-To",
        "X-Account-Meta-Temp-Url-Key", "X-Account-Meta-Temp-Url-Key-2", "X-Container-Meta-Temp-Url-Key", "X-Container-Meta-Temp-Url-Key-2",
        AccountAcl.Header,
    ];

    /// <summary>Drops the owners' headers from <paramref name="context"/>'s request now and from its answer when it starts.</summary>
    public static void HideFrom(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var name in Names)
        {
            context.Request.Headers.Remove(name);
            context.Request.Headers.Remove("X-Remove-" + name[2..]);
        }
        context.Response.OnStarting(() =>
        {
            foreach (var name in Names)
            {
                context.Response.Headers.Remove(name);
            }
            return Task.CompletedTask;
        });
    }
}
