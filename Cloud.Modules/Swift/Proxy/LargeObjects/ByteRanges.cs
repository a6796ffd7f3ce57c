using Cloud.Modules.Kernel.Http;

namespace Cloud.Modules.Swift.Proxy.LargeObjects;

/// <summary>A Range header of one or more ranges (<c>bytes=0-1,10-11</c>), as swob's <c>ranges_for_length</c> reads it.</summary>
public static class ByteRanges
{
    /// <summary>
    /// The satisfiable ranges of <paramref name="header"/> against <paramref name="size"/> bytes (empty: none is, a
    /// 416); null when there is no Range or one part is malformed, which serves the whole object.
    /// </summary>
    public static IReadOnlyList<ByteRange>? Parse(string? header, long size)
    {
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var ranges = new List<ByteRange>();
        foreach (var spec in header["bytes=".Length..].Split(','))
        {
            if (!ByteRange.TryParse("bytes=" + spec.Trim(), size, out var range))
            {
                return null;
            }
            if (range is not null)
            {
                ranges.Add(range);
            }
        }
        return ranges;
    }
}
