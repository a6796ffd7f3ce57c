using System.Text.RegularExpressions;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>domain_remap</c>: a request to <c>&lt;container&gt;.&lt;account&gt;.&lt;storage domain&gt;</c> or
/// <c>&lt;account&gt;.&lt;storage domain&gt;</c> is served as <c>/v1/&lt;account&gt;[/&lt;container&gt;]&lt;path&gt;</c>, so a
/// container can be a web site under its own host name. DNS cannot carry '_', so the account's first '-' stands for it
/// (<c>auth-test</c> is <c>AUTH_test</c>).
/// </summary>
public sealed class DomainRemapMiddleware(IOptions<SwiftWebFlags> flags) : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    public const string FilterName = "domain_remap";

    private readonly string[] _domains = SwiftWebFlags.List(flags.Value.SwiftStorageDomain)
        .Select(d => d.StartsWith('.') ? d : "." + d).ToArray();

    private readonly IReadOnlyList<string> _prefixes = SwiftWebFlags.List(flags.Value.SwiftResellerPrefixes);

    private readonly string _pathRoot = flags.Value.SwiftPathRoot.Trim('/');

    private readonly string? _defaultPrefix = flags.Value.SwiftDefaultResellerPrefix is { Length: > 0 } p ? p : null;

    /// <summary>Its /info entry, as swift's (null when no default prefix is set).</summary>
    public Dictionary<string, object?> Capabilities => new() { ["default_reseller_prefix"] = _defaultPrefix };

    public Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var host = request.Context.Request.Host.Host;
        var domain = _domains.FirstOrDefault(d => host.EndsWith(d, StringComparison.OrdinalIgnoreCase));
        if (domain is null)
        {
            return next(request);
        }
        var parts = host[..^domain.Length].Trim('.').Split('.');
        if (parts.Length > 2)
        {
            return SwiftProxyReply.PlainErrorAsync(request.Context, StatusCodes.Status400BadRequest, "Bad domain in host header");
        }
        var (container, account) = parts.Length == 2 ? (parts[0], parts[1]) : (null, parts[0]);
        if (AccountOf(account) is not { } remapped)
        {
            return next(request);
        }
        var path = $"/{_pathRoot}/{remapped}{(container is null ? "" : "/" + container)}{request.Path}";
        RewriteLocations(request.Context.Response, path, request.Path);
        return next(request with { Path = path, Query = IsListing(path) ? JsonListing(request.Query) : request.Query });
    }

    /// <summary>
    /// swift's RewriteContext: a redirect to the remapped path (staticweb's, to add a slash) is given back as the path
    /// the client asked for, so it stays under the client's host name.
    /// </summary>
    private static void RewriteLocations(HttpResponse response, string remapped, string requested)
    {
        var pattern = new Regex($"^(https?://[^/]+){Regex.Escape(remapped)}(.*)$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        response.OnStarting(() =>
        {
            foreach (var name in new[] { "Location", "Content-Location" })
            {
                if (response.Headers[name].ToString() is { Length: > 0 } value)
                {
                    response.Headers[name] = pattern.Replace(value, m => m.Groups[1].Value + requested + m.Groups[2].Value);
                }
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>Whether the remapped path names an account or a container (not an object).</summary>
    private bool IsListing(string path) => path[(_pathRoot.Length + 2)..].TrimEnd('/').Split('/').Length <= 2;

    /// <summary>
    /// swift's listing_formats sits before domain_remap and so never sees a remapped listing: the proxy asks the storage
    /// servers for JSON and the client gets JSON, whatever format it asked for.
    /// </summary>
    private static string JsonListing(string query)
    {
        var kept = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("format=", StringComparison.OrdinalIgnoreCase) && !p.Equals("format", StringComparison.OrdinalIgnoreCase));
        return "?" + string.Join('&', kept.Append("format=json"));
    }

    /// <summary>The account a host names, its reseller prefix spelt as configured; null when it is not to be remapped.</summary>
    private string? AccountOf(string account)
    {
        if (_prefixes.Count == 0)
        {
            return account;
        }
        if (!account.Contains('_', StringComparison.Ordinal) && account.IndexOf('-', StringComparison.Ordinal) is var dash and >= 0)
        {
            account = string.Concat(account.AsSpan(0, dash), "_", account.AsSpan(dash + 1));
        }
        var given = account.Split('_', 2)[0];
        var prefix = _prefixes.FirstOrDefault(p => string.Equals(p, given, StringComparison.OrdinalIgnoreCase));
        if (prefix is not null)
        {
            return account.StartsWith(prefix, StringComparison.Ordinal) ? account : prefix + account[prefix.Length..];
        }
        return _defaultPrefix is null ? null : $"{_defaultPrefix}_{account}";
    }
}
