using System.Globalization;
using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Swift's account_quotas middleware: <c>X-Account-Meta-Quota-Bytes</c> caps the bytes an account may hold. Only a
/// reseller admin may set or remove it (anyone else: 403, as the account's own admins must not lift their cap); an
/// object PUT or copy that would take the account past it is refused with 413 "Upload exceeds quota.". Reseller admins
/// are not held to it, as in swift.
/// </summary>
public sealed class ProxyAccountQuota(SwiftRings rings, SwiftBackend backend, SwiftProxyAuthorizer authorizer, ProxyInfoCache info)
{
    /// <summary>swift's /info name for it.</summary>
    public const string FilterName = "account_quotas";

    /// <summary>The account metadata holding the quota, in bytes.</summary>
    public const string Header = "X-Account-Meta-Quota-Bytes";

    /// <summary>The body of swift's 413.</summary>
    public const string ExceededMessage = "Upload exceeds quota.";

    private const string RemoveHeader = "X-Remove-Account-Meta-Quota-Bytes";

    /// <summary>Checks an account POST that sets or removes the quota: null when it may go on, else the refusal.</summary>
    public async Task<(int Status, string Message)?> CheckChangeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Request.Headers;
        var removing = headers[RemoveHeader].ToString().Length > 0;
        if (!headers.ContainsKey(Header) && !removing)
        {
            return null;
        }
        if (!await authorizer.IsResellerAdminAsync(context).ConfigureAwait(false))
        {
            return (StatusCodes.Status403Forbidden, "Forbidden");
        }
        var value = headers[Header].ToString();
        return removing || value.Length == 0 || value.All(char.IsAsciiDigit)
            ? null
            : (StatusCodes.Status400BadRequest, "Bad Request"); // swift's bare HTTPBadRequest
    }

    /// <summary>Whether writing <paramref name="bytes"/> more into the request's account would pass its quota.</summary>
    public async Task<bool> ExceededAsync(SwiftProxyRequest request, long bytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (var cached = await info.AccountAsync(request.Account, request.Aborted).ConfigureAwait(false))
        {
            if (cached is { IsSuccessStatusCode: true } && Number(cached, Header) is null)
            {
                // No quota set (the common case): no need for the bytes used, which the cache does not keep current.
                return false;
            }
        }
        var ring = rings.Account;
        var part = ring.GetPartition(request.Account);
        using var head = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account), "HEAD", null, request.Aborted).ConfigureAwait(false);
        if (head is not { IsSuccessStatusCode: true } || Number(head, Header) is not { } quota || quota < 0)
        {
            return false;
        }
        if (await authorizer.IsResellerAdminAsync(request.Context).ConfigureAwait(false))
        {
            return false;
        }
        return (Number(head, "X-Account-Bytes-Used") ?? 0) + bytes > quota;
    }

    private static long? Number(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
