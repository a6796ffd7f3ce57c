using System.Globalization;

namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>
/// Swift's X-Timestamp: seconds since the epoch, stored normalised (<c>%016.05f</c>) so that text order is time order.
/// </summary>
internal static class ContainerTimestamp
{
    public const string Zero = "0000000000.00000";

    /// <summary>The normalised form, or null when the text is not a timestamp.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        // An internal offset ("_0000000000000001") orders writes sharing one instant; it sorts after the time.
        var underscore = text.IndexOf('_', StringComparison.Ordinal);
        var seconds = underscore < 0 ? text : text[..underscore];
        var offset = underscore < 0 ? "" : text[underscore..];
        if (!SwiftTimestamp.TryNormalize(seconds, out var normal)
            || (offset.Length > 0 && (offset.Length == 1 || !offset[1..].All(char.IsAsciiHexDigit))))
        {
            return null;
        }
        return normal + offset;
    }

    public static string FromTime(DateTimeOffset time) =>
        ((decimal)(time.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond).ToString("0000000000.00000", CultureInfo.InvariantCulture);

    /// <summary>The listing form of a stored timestamp, e.g. 2026-11-25T02:04:36.000000.</summary>
    public static string Iso(string stored)
    {
        var underscore = stored.IndexOf('_', StringComparison.Ordinal);
        var seconds = underscore < 0 ? stored.AsSpan() : stored.AsSpan(0, underscore);
        if (NormalTicks(seconds) is { } ticks)
        {
            // Every row of a listing comes here: "s" is formatted on a fast path, and the microseconds are appended.
            return string.Create(26, ticks, static (text, t) =>
            {
                DateTime.UnixEpoch.AddTicks(t).TryFormat(text, out _, "s", CultureInfo.InvariantCulture);
                text[19] = '.';
                (t % TimeSpan.TicksPerSecond / 10).TryFormat(text[20..], out _, "D6", CultureInfo.InvariantCulture);
            });
        }
        var time = DateTime.UnixEpoch.AddTicks((long)(decimal.Parse(seconds, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond));
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
    }

    // The ticks since the epoch of a normalised "dddddddddd.ddddd", without a decimal; null for any other form.
    private static long? NormalTicks(ReadOnlySpan<char> seconds)
    {
        if (seconds.Length != 16 || seconds[10] != '.'
            || !long.TryParse(seconds[..10], NumberStyles.None, CultureInfo.InvariantCulture, out var whole)
            || !int.TryParse(seconds[11..], NumberStyles.None, CultureInfo.InvariantCulture, out var fraction))
        {
            return null;
        }
        return (whole * TimeSpan.TicksPerSecond) + (fraction * 100L);
    }

    /// <summary>The HTTP date of a stored timestamp rounded up to the second (Swift's <c>Timestamp.ceil()</c>, its Last-Modified).</summary>
    public static string HttpDate(string stored)
    {
        var underscore = stored.IndexOf('_', StringComparison.Ordinal);
        return SwiftTimestamp.ToHttpDate(underscore < 0 ? stored : stored[..underscore]);
    }
}
