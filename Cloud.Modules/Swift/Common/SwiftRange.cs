using System.Globalization;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// A Range header as swift's swob reads it (<c>swob.Range</c>): <c>bytes=a-b,-n,a-</c>, with spaces allowed around
/// the unit, the <c>=</c> and each range. A header that does not parse is ignored (the whole object is served).
/// </summary>
public static class SwiftRange
{
    // swob's limits against denial-of-service ranges (RFC 7233 section 6.1): more and the header is ignored.
    private const int MaxRanges = 50;
    private const int MaxOverlaps = 2;
    private const int MaxNonAscending = 8;

    /// <summary>
    /// The satisfiable ranges of <paramref name="header"/> for an object of <paramref name="length"/> bytes, as
    /// (first byte, byte after the last). Null when the header is absent, malformed or unreasonable (serve it whole);
    /// empty when nothing is satisfiable (416).
    /// </summary>
    public static List<(long Start, long End)>? Resolve(string? header, long length)
    {
        if (Parse(header) is not { } asked)
        {
            return null;
        }
        var ranges = new List<(long Start, long End)>();
        foreach (var (first, last) in asked)
        {
            if (first is null)
            {
                // A suffix: the last n bytes; a suffix of zero asks for nothing.
                if (last > 0)
                {
                    ranges.Add((Math.Max(0, length - last!.Value), length));
                }
            }
            else if (first < length)
            {
                ranges.Add((first.Value, last is null ? length : Math.Min(last.Value + 1, length)));
            }
        }
        return Unreasonable(ranges) ? null : ranges;
    }

    // The (first, last) pairs as written, null for an empty side; null when the header is not a valid bytes range.
    private static List<(long? First, long? Last)>? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }
        var equals = header.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0 || !header[..equals].Trim().Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var result = new List<(long? First, long? Last)>();
        foreach (var part in header[(equals + 1)..].Split(','))
        {
            var spec = part.Trim();
            var dash = spec.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                return null;
            }
            var first = Number(spec[..dash].Trim());
            var last = Number(spec[(dash + 1)..].Trim());
            if (first is -1 || last is -1 || (first is null && last is null) || (first is { } f && last is { } l && l < f))
            {
                return null;
            }
            result.Add((first, last));
        }
        return result;
    }

    // null for empty text, -1 for text that is not a number.
    private static long? Number(string text) =>
        text.Length == 0 ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;

    private static bool Unreasonable(List<(long Start, long End)> ranges)
    {
        if (ranges.Count > MaxRanges)
        {
            return true;
        }
        var overlaps = 0;
        var nonAscending = 0;
        for (var i = 0; i < ranges.Count; i++)
        {
            for (var j = i + 1; j < ranges.Count; j++)
            {
                if (ranges[i].Start < ranges[j].End && ranges[j].Start < ranges[i].End)
                {
                    overlaps++;
                }
            }
            if (i > 0 && ranges[i].Start < ranges[i - 1].Start)
            {
                nonAscending++;
            }
        }
        return overlaps > MaxOverlaps || nonAscending > MaxNonAscending;
    }
}
