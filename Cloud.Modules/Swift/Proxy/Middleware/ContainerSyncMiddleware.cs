using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Middleware.ContainerSync;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>container_sync</c>, before bulk. A container PUT or POST setting X-Container-Sync-To is refused (400,
/// swift's words) when it names an unknown realm or cluster, a scheme other than http(s), or a host outside
/// <c>swift_allowed_sync_hosts</c> (swift's container server makes that last check; the proxy makes it here, before any
/// replica is written), and full URLs are refused altogether without <c>swift_container_sync_allow_full_urls</c>.
/// An object request another cluster's container-sync daemon sends is let in without a token
/// (<see cref="ContainerSyncGrant"/>): with X-Container-Sync-Auth <c>realm nonce sig</c> when the signature is the
/// realm's HMAC (key or key2) over the method, path, X-Timestamp, nonce and the container's X-Container-Sync-Key (else
/// 401, swift's message); with X-Container-Sync-Key and an X-Timestamp when the key is the container's (tempauth's
/// check; a wrong key just leaves the request to the usual auth).
/// </summary>
public sealed class ContainerSyncMiddleware(IOptions<SwiftContainerSyncFlags> flags, SwiftRings rings, SwiftBackend backend) : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    public const string FilterName = "container_sync";

    private const string InvalidAuth = "X-Container-Sync-Auth header not valid; contact cluster operator for support.";

    private readonly ContainerSyncRealms _realms = flags.Value.Realms;

    private readonly IReadOnlyCollection<string> _allowedHosts = flags.Value.AllowedHosts;

    /// <summary>/info's container_sync: the realms and their clusters (never their keys).</summary>
    public IReadOnlyDictionary<string, object> Capabilities => new Dictionary<string, object> { ["realms"] = _realms.Info() };

    public async Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var headers = request.Context.Request.Headers;
        if (request.Method is "PUT" or "POST" && NamesContainer(request.Path)
            && headers.TryGetValue("X-Container-Sync-To", out var header) && Refusal(header.ToString()) is { } refusal)
        {
            await SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status400BadRequest, refusal).ConfigureAwait(false);
            return;
        }
        if (headers.ContainsKey("X-Container-Sync-Auth") || headers.ContainsKey("X-Container-Sync-Key"))
        {
            if (!await CheckSyncedWriteAsync(request).ConfigureAwait(false))
            {
                request.Context.Response.Headers.WWWAuthenticate = $"SwiftContainerSync realm=\"{RealmOf(request.Path)}\"";
                await SwiftProxyReply.PlainErrorAsync(request.Context, StatusCodes.Status401Unauthorized, InvalidAuth).ConfigureAwait(false);
                return;
            }
        }
        await next(request).ConfigureAwait(false);
    }

    /// <summary>Grants a valid synced write; false only for an X-Container-Sync-Auth that is not valid (401).</summary>
    private async Task<bool> CheckSyncedWriteAsync(SwiftProxyEntry entry)
    {
        var headers = entry.Context.Request.Headers;
        var auth = headers["X-Container-Sync-Auth"].ToString();
        var hasAuth = headers.ContainsKey("X-Container-Sync-Auth");
        if (SwiftProxyPath.Parse(entry).Request is not { Container: not null, Object: not null } request)
        {
            // swift checks the signature against the container's key: a path without one has none to match.
            return !hasAuth;
        }
        var timestamp = ContainerSyncGrant.Normalize(headers["X-Timestamp"].ToString());
        var userKey = await SyncKeyAsync(request).ConfigureAwait(false);
        if (hasAuth)
        {
            var parts = auth.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || _realms.Key(parts[0]) is not { } realmKey || userKey.Length == 0 || timestamp is null)
            {
                return false;
            }
            var (realm, nonce, sig) = (parts[0], parts[1], parts[2]);
            var path = ContainerSyncRealms.Quote(Uri.UnescapeDataString(entry.Path));
            var sent = headers["X-Timestamp"].ToString();
            var valid = Same(sig, ContainerSyncRealms.Signature(entry.Method, path, sent, nonce, realmKey, userKey))
                || (_realms.Key2(realm) is { } key2 && Same(sig, ContainerSyncRealms.Signature(entry.Method, path, sent, nonce, key2, userKey)));
            if (!valid)
            {
                return false;
            }
            new ContainerSyncGrant(request.Account, request.Container, timestamp).Apply(entry.Context);
            return true;
        }
        if (timestamp is not null && userKey.Length > 0 && Same(headers["X-Container-Sync-Key"].ToString(), userKey))
        {
            new ContainerSyncGrant(request.Account, request.Container, timestamp).Apply(entry.Context);
        }
        return true;
    }

    /// <summary>The container's X-Container-Sync-Key, empty when it has none (or is not there).</summary>
    private async Task<string> SyncKeyAsync(SwiftProxyRequest request)
    {
        var ring = rings.Container;
        var part = ring.GetPartition(request.Account, request.Container);
        using var head = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account, request.Container), "HEAD", null, request.Aborted).ConfigureAwait(false);
        return head is { IsSuccessStatusCode: true } && head.Headers.TryGetValues("X-Container-Sync-Key", out var values) ? values.First().Trim() : "";
    }

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    // swob's www_authenticate: the account as the realm ("unknown" without one).
    private static string RealmOf(string path)
    {
        var segments = path.TrimStart('/').Split('/');
        return segments.Length > 1 && segments[1].Length > 0 ? Uri.UnescapeDataString(segments[1]) : "unknown";
    }

    private string? Refusal(string syncTo)
    {
        if (!flags.Value.SwiftContainerSyncAllowFullUrls && syncTo.Length > 0 && !syncTo.StartsWith("//", StringComparison.Ordinal))
        {
            return "Full URLs are not allowed for X-Container-Sync-To values. Only realm values of the format //realm/cluster/account/container are allowed.\n";
        }
        return ContainerSyncTo.Refusal(syncTo, _allowedHosts, _realms);
    }

    // /v1/account/container[/]: a container, not an object.
    private static bool NamesContainer(string path)
    {
        var segments = path.TrimStart('/').Split('/');
        return segments.Length is 3 or 4 && segments[1].Length > 0 && segments[2].Length > 0 && (segments.Length == 3 || segments[3].Length == 0);
    }
}
