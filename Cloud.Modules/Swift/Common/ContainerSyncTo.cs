using System.Text;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// swift's <c>validate_sync_to</c>: an X-Container-Sync-To is either <c>//realm/cluster/account/container</c> with a
/// realm and cluster this cluster knows, or an http(s) URL with a path, no params, query or fragment, on one of the
/// allowed sync hosts. The refusal is swift's own message (the 400's body).
/// </summary>
public static class ContainerSyncTo
{
    /// <summary>Null when <paramref name="value"/> is acceptable (or empty: sync off), else why not.</summary>
    public static string? Refusal(string value, IReadOnlyCollection<string> allowedHosts, ContainerSyncRealms realms)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(allowedHosts);
        ArgumentNullException.ThrowIfNull(realms);
        var trimmed = value.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return null;
        }
        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            var parts = trimmed[2..].Split('/');
            if (parts.Length != 4)
            {
                return $"Invalid X-Container-Sync-To format {Repr(value)}";
            }
            if (realms.Key(parts[0]) is null)
            {
                return $"No realm key for {Repr(parts[0])}";
            }
            return realms.Endpoint(parts[0], parts[1]) is null ? $"No cluster endpoint for {Repr(parts[0])} {Repr(parts[1])}" : null;
        }
        var url = ParsedUrl.Of(trimmed);
        if (url.Scheme is not ("http" or "https"))
        {
            return $"Invalid scheme {Repr(url.Scheme)} in X-Container-Sync-To, must be \"//\", \"http\", or \"https\".";
        }
        if (url.Path.Length == 0)
        {
            return "Path required in X-Container-Sync-To";
        }
        if (url.HasExtras)
        {
            return "Params, queries, and fragments not allowed in X-Container-Sync-To";
        }
        return url.Host is { } host && allowedHosts.Contains(host) ? null : $"Invalid host {(url.Host is null ? "None" : Repr(url.Host))} in X-Container-Sync-To";
    }

    /// <summary>
    /// The rest of swift's <c>validate_sync_to</c>, for the container-sync daemon: the remote container's URL (a realm
    /// value becomes its cluster's endpoint plus account/container) with the realm and its key (null for a full URL),
    /// or why the value cannot be synced to.
    /// </summary>
    public static (string? Url, string? Realm, string? RealmKey, string? Refusal) Resolve(string value, IReadOnlyCollection<string> allowedHosts, ContainerSyncRealms realms)
    {
        if (Refusal(value, allowedHosts, realms) is { } refusal)
        {
            return (null, null, null, refusal);
        }
        var trimmed = value.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return (null, null, null, "No X-Container-Sync-To");
        }
        if (!trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            return (trimmed, null, null, null);
        }
        var parts = trimmed[2..].Split('/');
        return ($"{realms.Endpoint(parts[0], parts[1])!.TrimEnd('/')}/{parts[2]}/{parts[3]}", parts[0].ToUpperInvariant(), realms.Key(parts[0]), null);
    }

    /// <summary>Python's repr() of a string, as swift's messages quote names.</summary>
    public static string Repr(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var output = new StringBuilder().Append(quote);
        foreach (var c in text)
        {
            output.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c == quote => "\\" + c,
                _ when c < 0x20 || c == 0x7f => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return output.Append(quote).ToString();
    }

    /// <summary>The parts of a URL as Python's urlparse splits them (lower-cased scheme and host).</summary>
    private sealed record ParsedUrl(string Scheme, string? Host, string Path, bool HasExtras)
    {
        public static ParsedUrl Of(string url)
        {
            var scheme = "";
            var rest = url;
            var colon = url.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && char.IsAsciiLetter(url[0]) && url[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                (scheme, rest) = (url[..colon].ToLowerInvariant(), url[(colon + 1)..]);
            }
            string? netloc = null;
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                var end = rest.IndexOfAny(['/', '?', '#'], 2);
                netloc = end < 0 ? rest[2..] : rest[2..end];
                rest = end < 0 ? "" : rest[end..];
            }
            var extras = rest.IndexOfAny(['?', '#']);
            var path = extras < 0 ? rest : rest[..extras];
            var hasParams = path[(path.LastIndexOf('/') + 1)..].Contains(';', StringComparison.Ordinal);
            if (hasParams)
            {
                path = path[..path.LastIndexOf(';')];
            }
            return new ParsedUrl(scheme, HostOf(netloc), path, hasParams || (extras >= 0 && rest.Length > extras + 1));
        }

        private static string? HostOf(string? netloc)
        {
            if (string.IsNullOrEmpty(netloc))
            {
                return null;
            }
            var host = netloc[(netloc.LastIndexOf('@') + 1)..];
            if (host.StartsWith('['))
            {
                var close = host.IndexOf(']', StringComparison.Ordinal);
                host = close < 0 ? host[1..] : host[1..close];
            }
            else if (host.IndexOf(':', StringComparison.Ordinal) is var port and >= 0)
            {
                host = host[..port];
            }
            return host.Length == 0 ? null : host.ToLowerInvariant();
        }
    }
}
