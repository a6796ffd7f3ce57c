using System.Globalization;

namespace Cloud.Modules.Swift.Common;

/// <summary>Swift's Last-Modified of a timestamp: its seconds rounded up (so a PUT's and the HEAD after it agree).</summary>
public static class SwiftLastModified
{
    /// <summary>The seconds since the epoch of <paramref name="timestamp"/> (e.g. <c>1700000000.12345</c>), rounded up.</summary>
    public static long Seconds(string timestamp) => (long)Math.Ceiling(decimal.Parse(timestamp, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));

    /// <summary>The HTTP date of <paramref name="timestamp"/>, rounded up to the second.</summary>
    public static string HttpDate(string timestamp) =>
        DateTimeOffset.FromUnixTimeSeconds(Seconds(timestamp)).ToString("R", CultureInfo.InvariantCulture);
}
