namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// A container's <c>X-Container-Read</c> / <c>X-Container-Write</c> (Swift's ACL syntax): comma-separated
/// <c>account:user</c> or <c>account</c> grants, <c>.r:*</c> for anyone's object reads and <c>.rlistings</c> for
/// anyone's listings. Keystone callers are named <c>&lt;project id&gt;:&lt;user id&gt;</c>, with <c>&lt;project id&gt;:*</c>.
/// </summary>
public static class ContainerAcl
{
    /// <summary>Whether <paramref name="acl"/> lets the caller, known by <paramref name="names"/> (empty: anonymous), read.</summary>
    public static bool AllowsRead(string? acl, IReadOnlyCollection<string> names, bool listing)
    {
        var entries = Parse(acl);
        if (entries.Overlaps(names))
        {
            return true;
        }
        var anyone = entries.Contains(".r:*");
        return anyone && (!listing || entries.Contains(".rlistings"));
    }

    /// <summary>Writes are granted to named callers only; referrer rules never grant a write.</summary>
    public static bool AllowsWrite(string? acl, IReadOnlyCollection<string> names) => names.Count > 0 && Parse(acl).Overlaps(names);

    private static HashSet<string> Parse(string? acl) =>
        new((acl ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
}
