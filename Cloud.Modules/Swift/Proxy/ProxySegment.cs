namespace Cloud.Modules.Swift.Proxy;

/// <summary>One segment of a large object, in the large object's account: a row of an SLO manifest or of a DLO's listing.</summary>
/// <param name="Container">Segment container.</param>
/// <param name="Object">Segment object name.</param>
/// <param name="Hash">The segment's ETag as the manifest or listing records it.</param>
/// <param name="Bytes">The bytes it adds: its length as recorded (for a segment that is itself an SLO, the whole of that
/// large object), or the length of <paramref name="Start"/>'s range.</param>
/// <param name="Start">For an SLO segment with a <c>range</c>, the first byte of the segment used; null for the whole segment.</param>
/// <param name="SubSlo">Whether the manifest marks the segment as a static large object itself (swift's <c>sub_slo</c>).</param>
public sealed record ProxySegment(string Container, string Object, string Hash, long Bytes, long? Start = null, bool SubSlo = false)
{
    /// <summary>The segment's range as an SLO manifest stores it (<c>first-last</c>), or null.</summary>
    public string? Range => Start is { } start ? $"{start}-{start + Bytes - 1}" : null;

    /// <summary>The segment as swift names it in errors: <c>/container/object</c>.</summary>
    public string Path => $"/{Container}/{Object}";

    /// <summary>
    /// A large object's ETag, as swift makes it: the MD5 (hex) of its segments' ETags one after the other, a ranged
    /// segment's as <c>etag:first-last;</c>.
    /// </summary>
    public static string EtagOf(IEnumerable<ProxySegment> segments) =>
        Convert.ToHexString(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Concat(segments.Select(s => s.Range is { } range ? $"{s.Hash.Trim('"')}:{range};" : s.Hash.Trim('"')))))).ToLowerInvariant();

    /// <summary>A segment path percent-encoded as swift's errors show it (Python's <c>quote</c>: slashes kept).</summary>
    public static string Quote(string path) => Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal);
}
