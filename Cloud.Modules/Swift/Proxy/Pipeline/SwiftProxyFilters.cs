namespace Cloud.Modules.Swift.Proxy.Pipeline;

/// <summary>
/// Which of Swift's standard proxy filters are on (<c>--swift_proxy_pipeline</c>, the <c>pipeline =</c> line of swift's
/// proxy-server.conf). The order is always Swift's standard one (<see cref="Standard"/>): the flag only says which are
/// in it. A filter that is off neither acts nor appears in <c>/info</c>; the ones Swift cannot run without
/// (<see cref="Required"/>) are always on.
/// </summary>
public sealed class SwiftProxyFilters
{
    /// <summary>Swift 2.30's proxy-server.conf-sample pipeline, in its order, as the names appear there.</summary>
    public static readonly IReadOnlyList<string> Standard =
    [
        "catch_errors", "gatekeeper", "healthcheck", "proxy-logging", "cache", "listing_formats", "container_sync", "bulk",
        "tempurl", "ratelimit", "domain_remap", "formpost", "tempauth", "keystoneauth", "staticweb", "copy", "container-quotas",
        "account-quotas", "slo", "dlo", "versioned_writes", "symlink", "proxy-server",
    ];

    /// <summary>What the proxy is without: the error net, the auth and the server itself (cloudd has no other auth filters).</summary>
    public static readonly IReadOnlyList<string> Required = ["catch_errors", "tempauth", "proxy-server"];

    /// <summary>Filters cloudd has no separate switch for: they are part of how it serves every request.</summary>
    private static readonly HashSet<string> Inherent = ["proxy-logging", "cache", "listing_formats", "keystoneauth"];

    private readonly HashSet<string> _on;

    /// <param name="pipeline">Space- or comma-separated filter names; empty: every standard filter.</param>
    /// <exception cref="ArgumentException">A name Swift's standard pipeline does not have.</exception>
    public SwiftProxyFilters(string pipeline)
    {
        var names = (pipeline ?? "").Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(Canonical).ToList();
        var unknown = names.Where(n => !Standard.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"unknown proxy filter(s) {string.Join(", ", unknown)}; Swift's standard pipeline has: {string.Join(" ", Standard)}");
        }
        _on = names.Count == 0 ? [.. Standard] : [.. names, .. Required, .. Inherent];
    }

    /// <summary>Whether <paramref name="filter"/> (its pipeline name, or its /info name with '_' for '-') is on.</summary>
    public bool IsOn(string filter) => _on.Contains(Canonical(filter));

    /// <summary>The pipeline as proxy-server.conf would write it.</summary>
    public override string ToString() => string.Join(" ", Standard.Where(_on.Contains));

    // /info names container_quotas and account_quotas with '_', the pipeline with '-'.
    private static string Canonical(string name) => name.Trim() switch
    {
        "container_quotas" => "container-quotas",
        "account_quotas" => "account-quotas",
        "proxy_logging" => "proxy-logging",
        "proxy_server" => "proxy-server",
        var other => other,
    };
}
