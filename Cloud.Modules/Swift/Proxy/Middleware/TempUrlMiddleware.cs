using System.Globalization;
using System.Net;
using Cloud.Modules.Swift.Proxy.Middleware.TempUrl;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>tempurl</c>, before auth: an object request with <c>temp_url_sig</c> and <c>temp_url_expires</c> (and
/// optionally <c>temp_url_prefix</c>, <c>temp_url_ip_range</c>) signed with a key of the account or container goes
/// through without a token, opening that account or container only (<see cref="TempUrlGrant"/>). Anything wrong with
/// the signature is one 401 "Temp URL invalid", so it tells nothing about which part was wrong. Downloads carry a
/// Content-Disposition and Expires, and lose X-Object-Meta-* (except X-Object-Meta-Public-*).
/// </summary>
public sealed class TempUrlMiddleware(TempUrlKeys keys) : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    public const string FilterName = "tempurl";

    private static readonly string[] Methods = ["GET", "HEAD", "PUT", "POST", "DELETE"];

    /// <summary>What swift 2.30 advertises in /info with its default settings.</summary>
    public static readonly Dictionary<string, object> Capabilities = new()
    {
        ["methods"] = Methods,
        ["incoming_remove_headers"] = new[] { "x-timestamp" },
        ["incoming_allow_headers"] = Array.Empty<string>(),
        ["outgoing_remove_headers"] = new[] { "x-object-meta-*" },
        ["outgoing_allow_headers"] = new[] { "x-object-meta-public-*" },
        ["allowed_digests"] = TempUrlSignature.AllowedDigests,
        ["deprecated_digests"] = TempUrlSignature.DeprecatedDigests,
    };

    // Headers that would let a signed PUT or POST point somewhere its signer never meant.
    private static readonly string[] Disallowed = ["X-Object-Manifest", "X-Symlink-Target"];

    public async Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var context = request.Context;
        var query = QueryHelpers.ParseQuery(request.Query);
        var method = context.Request.Method.ToUpperInvariant();
        if (method == "OPTIONS" || (!query.ContainsKey("temp_url_sig") && !query.ContainsKey("temp_url_expires")))
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        if (await CheckAsync(request, query, method).ConfigureAwait(false) is not { } grant)
        {
            await InvalidAsync(context).ConfigureAwait(false);
            return;
        }
        if (method is not ("GET" or "HEAD") && Disallowed.FirstOrDefault(h => context.Request.Headers.ContainsKey(h)) is { } header)
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status400BadRequest, $"The header '{header}' is not allowed in this tempurl").ConfigureAwait(false);
            return;
        }
        context.Request.Headers.Remove("X-Timestamp");
        // A token sent along must not widen what the signature opens.
        context.Request.Headers.Remove("X-Auth-Token");
        context.Request.Headers.Remove("X-Storage-Token");
        grant.Grant.Apply(context);
        if (method is "GET" or "HEAD")
        {
            var name = request.Path.TrimEnd('/');
            name = Uri.UnescapeDataString(name[(name.LastIndexOf('/') + 1)..]);
            context.Response.OnStarting(() => CleanOutgoing(context.Response, query, name, grant.Expires));
        }
        else
        {
            context.Response.OnStarting(() => CleanOutgoing(context.Response, null, null, grant.Expires));
        }
        await next(request).ConfigureAwait(false);
    }

    private async Task<(TempUrlGrant Grant, long Expires)?> CheckAsync(SwiftProxyEntry request, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string method)
    {
        var sig = First(query, "temp_url_sig");
        var expiresText = First(query, "temp_url_expires");
        if (string.IsNullOrEmpty(sig) || string.IsNullOrEmpty(expiresText) || ExpiresOf(expiresText) is not { } expires
            || expires < DateTimeOffset.UtcNow.ToUnixTimeSeconds())
        {
            return null;
        }
        if (TempUrlSignature.Parse(sig) is not { } given || !TempUrlSignature.AllowedDigests.Contains(given.Digest))
        {
            return null;
        }
        if (!Methods.Contains(method) || ObjectPath(request.Path) is not { } path)
        {
            return null;
        }
        var ipRange = First(query, "temp_url_ip_range");
        if (ipRange is not null && !Within(request.Context.Connection.RemoteIpAddress, ipRange))
        {
            return null;
        }
        var prefix = First(query, "temp_url_prefix");
        string signedPath;
        if (prefix is null)
        {
            signedPath = $"/v1/{path.Account}/{path.Container}/{path.Object}";
        }
        else if (path.Object.StartsWith(prefix, StringComparison.Ordinal))
        {
            signedPath = $"prefix:/v1/{path.Account}/{path.Container}/{prefix}";
        }
        else
        {
            return null;
        }
        var found = await keys.ReadAsync(path.Account, path.Container, request.Context.RequestAborted).ConfigureAwait(false);
        // A HEAD may use a URL signed for any of these, as a client checks an object before it fetches or replaces it.
        var signedMethods = method == "HEAD" ? new[] { "HEAD", "GET", "POST", "PUT" } : [method];
        var expiresValue = expires.ToString(CultureInfo.InvariantCulture);
        foreach (var key in found)
        {
            foreach (var signed in signedMethods)
            {
                var message = $"{signed}\n{expiresValue}\n{signedPath}";
                if (ipRange is not null)
                {
                    message = $"ip={ipRange}\n{message}";
                }
                if (TempUrlSignature.Same(given.Hex, TempUrlSignature.Hmac(given.Digest, key.Key, message)))
                {
                    return (new TempUrlGrant(path.Account, key.AccountScope ? null : path.Container), expires);
                }
            }
        }
        return null;
    }

    /// <summary>swift accepts a unix time or an ISO 8601 UTC time (<c>2030-01-01T00:00:00Z</c>); anything else has expired.</summary>
    private static long? ExpiresOf(string value)
    {
        if (long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }
        return DateTimeOffset.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUnixTimeSeconds()
            : null;
    }

    private static (string Account, string Container, string Object)? ObjectPath(string rawPath)
    {
        if (!rawPath.StartsWith("/v1/", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = rawPath[4..].Split('/', 3);
        if (parts.Length < 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[2].Trim('/').Length == 0)
        {
            return null;
        }
        return (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]), Uri.UnescapeDataString(parts[2]));
    }

    private static bool Within(IPAddress? client, string range)
    {
        if (client is null)
        {
            return false;
        }
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }
        var network = range.Contains('/', StringComparison.Ordinal) ? range : range + (range.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
        return IPNetwork.TryParse(network, out var parsed) && parsed.Contains(client);
    }

    private static string? First(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string name) =>
        query.TryGetValue(name, out var values) ? values[0] ?? "" : null;

    private static Task CleanOutgoing(HttpResponse response, Dictionary<string, Microsoft.Extensions.Primitives.StringValues>? query, string? name, long expires)
    {
        foreach (var header in response.Headers.Keys.ToList())
        {
            if (header.StartsWith("X-Object-Meta-", StringComparison.OrdinalIgnoreCase) && !header.StartsWith("X-Object-Meta-Public-", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.Remove(header);
            }
        }
        if (query is null || name is null || response.StatusCode is < 200 or > 299)
        {
            return Task.CompletedTask;
        }
        var filename = First(query, "filename");
        var existing = response.Headers.ContentDisposition.ToString();
        var disposition = query.ContainsKey("inline")
            ? filename is { Length: > 0 } ? TempUrlDisposition.Format("inline", filename) : "inline"
            : filename is { Length: > 0 } ? TempUrlDisposition.Format("attachment", filename)
            : existing.Length > 0 ? existing
            : TempUrlDisposition.Format("attachment", name);
        response.Headers.ContentDisposition = disposition.Replace("\n", "%0A", StringComparison.Ordinal);
        response.Headers.Expires = DateTimeOffset.FromUnixTimeSeconds(expires).ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }

    private static async Task InvalidAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Swift realm=\"unknown\"";
        await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status401Unauthorized,
            HttpMethods.IsHead(context.Request.Method) ? "" : "401 Unauthorized: Temp URL invalid\n").ConfigureAwait(false);
    }
}
