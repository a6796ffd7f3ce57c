using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Middleware.ContainerSync;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>container_sync</c>, before bulk: a container PUT or POST setting X-Container-Sync-To is refused (400,
/// swift's words) when it names an unknown realm or cluster, a scheme other than http(s), or a host outside
/// <c>swift_allowed_sync_hosts</c> (swift's container server makes that last check; the proxy makes it here, before any
/// replica is written), and full URLs are refused altogether without <c>swift_container_sync_allow_full_urls</c>.
/// </summary>
public sealed class ContainerSyncMiddleware(IOptions<SwiftProxyFlags> flags) : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    public const string FilterName = "container_sync";

    private readonly ContainerSyncRealms _realms = ContainerSyncRealms.Parse(flags.Value.SwiftContainerSyncRealms);

    private readonly HashSet<string> _allowedHosts = new(
        flags.Value.SwiftAllowedSyncHosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);

    /// <summary>/info's container_sync: the realms and their clusters (never their keys).</summary>
    public IReadOnlyDictionary<string, object> Capabilities => new Dictionary<string, object> { ["realms"] = _realms.Info() };

    public async Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (request.Method is "PUT" or "POST" && NamesContainer(request.Path)
            && request.Context.Request.Headers.TryGetValue("X-Container-Sync-To", out var header) && Refusal(header.ToString()) is { } refusal)
        {
            await SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status400BadRequest, refusal).ConfigureAwait(false);
            return;
        }
        await next(request).ConfigureAwait(false);
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
