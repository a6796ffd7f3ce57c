using System.Globalization;

namespace Cloud.Modules.Kernel.Http;

/// <summary>A single satisfiable byte range of a Range header, resolved against the object's length.</summary>
/// <param name="Start">First byte.</param>
/// <param name="Length">Number of bytes.</param>
public sealed record ByteRange(long Start, long Length)
{
    /// <summary>Last byte (inclusive).</summary>
    public long End => Start + Length - 1;

    /// <summary>
    /// Reads <paramref name="header"/> (<c>bytes=a-b</c>, <c>bytes=-n</c>, <c>bytes=a-</c>). Returns false when the
    /// header is absent, malformed or names several ranges: the whole object is served then (RFC 7233 lets a
    /// server ignore a Range it does not handle). Otherwise <paramref name="range"/> is null when unsatisfiable.
    /// </summary>
    public static bool TryParse(string? header, long size, out ByteRange? range)
    {
        range = null;
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var spec = header["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (spec.Contains(',', StringComparison.Ordinal) || dash < 0)
        {
            return false;
        }
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            if (!TryNumber(last, out var suffix))
            {
                return false;
            }
            // A suffix of zero bytes asks for nothing, which no range can satisfy.
            range = suffix == 0 || size == 0 ? null : new ByteRange(Math.Max(0, size - suffix), Math.Min(suffix, size));
            return true;
        }
        if (!TryNumber(first, out var start))
        {
            return false;
        }
        long end = size - 1;
        if (last.Length > 0)
        {
            if (!TryNumber(last, out end) || end < start)
            {
                return false;
            }
            end = Math.Min(end, size - 1);
        }
        range = start >= size ? null : new ByteRange(start, end - start + 1);
        return true;
    }

    private static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
