using System.Globalization;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Swift's normalised timestamp (<c>swift.common.utils.Timestamp.normal</c>): seconds since the epoch with five
/// decimals, zero-padded to 16 characters (<c>1700000000.12345</c>). Being fixed-width, two normalised timestamps
/// order the same as strings and as numbers, which is what file names on disk rely on.
/// </summary>
public static class SwiftTimestamp
{
    private const decimal Limit = 10_000_000_000m;

    /// <summary>Normalises <paramref name="raw"/>; false when it is not a non-negative number below 10^10.</summary>
    public static bool TryNormalize(string? raw, out string normal)
    {
        normal = "";
        if (string.IsNullOrWhiteSpace(raw)
            || !decimal.TryParse(raw.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value >= Limit)
        {
            return false;
        }
        normal = Math.Round(value, 5, MidpointRounding.AwayFromZero).ToString("0000000000.00000", CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Orders two normalised timestamps.</summary>
    public static int Compare(string a, string b) => string.CompareOrdinal(a, b);

    /// <summary>The HTTP date of a normalised timestamp, rounded up to the second as Swift's Last-Modified is.</summary>
    public static string ToHttpDate(string normal) => Common.SwiftLastModified.HttpDate(normal);
}
