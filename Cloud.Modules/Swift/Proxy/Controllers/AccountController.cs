using System.Collections.Concurrent;
using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Controllers;

/// <summary>
/// <c>/v1/{account}</c>: HEAD and GET (listing) from the first account replica that has it, POST (metadata) to all.
/// tempauth accounts exist by configuration, so one missing on the account servers is created on first authorised use.
/// </summary>
public sealed class AccountController(SwiftRings rings, SwiftBackend backend, ProxyAccountQuota quota, ProxyInfoCache info)
{
    // Accounts seen to exist by this process, so the check costs one HEAD per account per process, not per request.
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    /// <summary>Serves one account request.</summary>
    public async Task HandleAsync(SwiftProxyRequest request)
    {
        await EnsureAsync(request.Account, request.Aborted).ConfigureAwait(false);
        var ring = rings.Account;
        var (part, nodes) = ring.GetNodes(request.Account);
        switch (request.Method)
        {
            case "GET" or "HEAD":
                var answer = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account) + request.Query, request.Method,
                    m => SwiftProxyHeaders.Copy(request.Context.Request, m, null, SwiftProxyHeaders.Listing), request.Aborted).ConfigureAwait(false);
                await SwiftProxyReply.RelayReadAsync(request.Context, answer).ConfigureAwait(false);
                break;
            case "POST":
                if (await quota.CheckChangeAsync(request.Context).ConfigureAwait(false) is { } refusal)
                {
                    await SwiftProxyReply.ErrorAsync(request.Context, refusal.Status, refusal.Message).ConfigureAwait(false);
                    break;
                }
                var timestamp = SwiftBackend.NewTimestamp();
                var answers = await backend.ToAllAsync(nodes, n => SwiftBackend.PathOf(n, part, request.Account), "POST", m =>
                {
                    m.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
                    SwiftProxyHeaders.Copy(request.Context.Request, m, "X-Account-Meta-", ["X-Account-Access-Control"]);
                }, request.Aborted).ConfigureAwait(false);
                // Its metadata (ACLs, quota, tempurl keys) changed: the next request reads it again.
                info.ForgetAccount(request.Account);
                await SwiftProxyReply.RelayAsync(request.Context, SwiftProxyHeaders.Quorum(answers)).ConfigureAwait(false);
                break;
            default:
                // Accounts come and go with tempauth's configuration, not with the API.
                await SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed").ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Creates <paramref name="account"/> on its replicas unless one already has it.</summary>
    public async Task EnsureAsync(string account, CancellationToken cancellationToken)
    {
        if (_known.ContainsKey(account))
        {
            return;
        }
        var ring = rings.Account;
        var (part, nodes) = ring.GetNodes(account);
        using (var head = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, account), "HEAD", null, cancellationToken).ConfigureAwait(false))
        {
            if (head is { IsSuccessStatusCode: true })
            {
                _known[account] = true;
                return;
            }
        }
        var timestamp = SwiftBackend.NewTimestamp();
        var answers = await backend.ToAllAsync(nodes, n => SwiftBackend.PathOf(n, part, account), "PUT",
            m => m.Headers.TryAddWithoutValidation("X-Timestamp", timestamp), cancellationToken).ConfigureAwait(false);
        using var created = SwiftProxyHeaders.Quorum(answers);
        if (created is { IsSuccessStatusCode: true })
        {
            _known[account] = true;
        }
    }
}
