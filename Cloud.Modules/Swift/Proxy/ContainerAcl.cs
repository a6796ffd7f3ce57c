namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// A container's <c>X-Container-Read</c> / <c>X-Container-Write</c> (Swift's ACL syntax, v1): comma-separated
/// <c>account:user</c> or <c>account</c> grants, referrer rules <c>.r:*</c>, <c>.r:host</c>, <c>.r:.domain</c> and
/// <c>.r:-host</c> (a denial) for reads, and <c>.rlistings</c> for listings to whom the referrer rules admit.
/// Keystone callers are named <c>&lt;project id&gt;:&lt;user id&gt;</c>, with <c>&lt;project id&gt;:*</c>.
/// </summary>
public static class ContainerAcl
{
    /// <summary>
    /// Whether <paramref name="acl"/> lets the caller, known by <paramref name="names"/> (empty: anonymous) and coming
    /// from <paramref name="referer"/>, read: a named grant reads everything; else a caller the referrer rules admit
    /// reads objects, and lists only with .rlistings (as Swift 2.30 answers).
    /// </summary>
    public static bool AllowsRead(string? acl, IReadOnlyCollection<string> names, bool listing, string? referer)
    {
        var (referrers, groups) = Parse(acl);
        if (names.Count > 0 && groups.Overlaps(names))
        {
            return true;
        }
        return ReferrerAllowed(referer, referrers) && (!listing || groups.Contains(".rlistings"));
    }

    /// <summary>Writes are granted to named callers only; referrer rules never grant a write.</summary>
    public static bool AllowsWrite(string? acl, IReadOnlyCollection<string> names) => names.Count > 0 && Parse(acl).Groups.Overlaps(names);

    /// <summary>
    /// Swift's <c>clean_acl</c>: the value a client sets for <paramref name="header"/>, normalised as the container stores
    /// it (<c>.referrer:</c> and friends become <c>.r:</c>, <c>*.example.com</c> becomes <c>.example.com</c>).
    /// </summary>
    /// <exception cref="FormatException">Swift's message for a referrer rule without a host, one in a write ACL, or an unknown designator.</exception>
    public static string Clean(string header, string value)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(value);
        var values = new List<string>();
        foreach (var raw in value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0))
        {
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            var first = colon < 0 ? "" : raw[..colon].Trim();
            if (colon < 0 || !first.StartsWith('.'))
            {
                values.Add(raw);
                continue;
            }
            if (first is not (".r" or ".ref" or ".referer" or ".referrer"))
            {
                throw new FormatException($"Unknown designator {PythonText.Repr(first)} in ACL: {PythonText.Repr(raw)}");
            }
            if (header.Contains("write", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"Referrers not allowed in write ACL: {PythonText.Repr(raw)}");
            }
            var second = raw[(colon + 1)..].Trim();
            var negate = second.StartsWith('-');
            second = negate ? second[1..].Trim() : second;
            second = second.Length > 1 && second.StartsWith('*') ? second[1..].Trim() : second;
            if (second is "" or ".")
            {
                throw new FormatException($"No host/domain value after referrer designation in ACL: {PythonText.Repr(raw)}");
            }
            values.Add($".r:{(negate ? "-" : "")}{second}");
        }
        return string.Join(',', values);
    }

    /// <summary>Swift's <c>referrer_allowed</c>: the last rule matching the Referer's host decides; no Referer is host "unknown".</summary>
    private static bool ReferrerAllowed(string? referer, IReadOnlyList<string> rules)
    {
        var host = Uri.TryCreate(referer ?? "", UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host.ToLowerInvariant() : "unknown";
        var allow = false;
        foreach (var rule in rules)
        {
            var deny = rule.StartsWith('-');
            var match = deny ? rule[1..] : rule;
            if (match == host || (match.StartsWith('.') && host.EndsWith(match, StringComparison.Ordinal)) || (!deny && match == "*"))
            {
                allow = !deny;
            }
        }
        return allow;
    }

    private static (List<string> Referrers, HashSet<string> Groups) Parse(string? acl)
    {
        var referrers = new List<string>();
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in (acl ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (value.StartsWith(".r:", StringComparison.Ordinal))
            {
                referrers.Add(value[3..]);
            }
            else
            {
                groups.Add(Uri.UnescapeDataString(value));
            }
        }
        return (referrers, groups);
    }
}
