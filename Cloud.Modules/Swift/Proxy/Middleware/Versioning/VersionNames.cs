using System.Globalization;
using System.Text;

namespace Cloud.Modules.Swift.Proxy.Middleware.Versioning;

/// <summary>
/// Names of versions as swift's versioned_writes and object_versioning store them, and the version ids (swift
/// Timestamps, <c>1796607291.15184</c>) clients see.
/// </summary>
public static class VersionNames
{
    /// <summary>The content type of a delete marker, in both modes' versions containers.</summary>
    public const string DeleteMarkerContentType = "application/x-deleted;swift_versions_deleted=1";

    /// <summary>
    /// Stands for swift's RESERVED_STR ('\0'): names holding it are the middleware's own and the proxy refuses them to
    /// clients. Not '\0' itself: Kestrel refuses a %00 in a request target, so the storage servers could never be sent one.
    /// </summary>
    public const char Reserved = '\uFFFF';

    // 9999999999.99999 in units of 1e-5 s: a timestamp's inverse (swift's ~Timestamp) sorts newest first.
    private const long MaxUnits = 999_999_999_999_999;

    /// <summary>Legacy mode: the prefix of an object's versions, <c>&lt;byte length, 3 hex digits&gt;&lt;name&gt;/</c>.</summary>
    public static string LegacyPrefix(string obj) =>
        Encoding.UTF8.GetByteCount(obj).ToString("x3", CultureInfo.InvariantCulture) + obj + "/";

    /// <summary>Object versioning: the hidden container of a container's versions, <c>\0versions\0&lt;container&gt;</c>.</summary>
    public static string HiddenContainer(string container) => $"{Reserved}versions{Reserved}{container}";

    /// <summary>Object versioning: the hidden object of one version, <c>&lt;name&gt;\0&lt;inverted timestamp&gt;</c>.</summary>
    public static string HiddenObject(string obj, string versionId) => obj + Reserved + Invert(versionId);

    /// <summary>The object name and version id of a hidden object's name; null for a name that is none.</summary>
    public static (string Name, string VersionId)? SplitHidden(string hidden)
    {
        var cut = hidden.LastIndexOf(Reserved);
        return cut > 0 && Normalize(hidden[(cut + 1)..]) is { } inverted ? (hidden[..cut], Invert(inverted)) : null;
    }

    /// <summary>A version id (or X-Timestamp) in swift's normal form <c>%016.5f</c>; null when it is no timestamp.</summary>
    public static string? Normalize(string value) => Units(value) is { } units ? Format(units) : null;

    /// <summary>The timestamp of a listing's <c>last_modified</c> (microseconds, exact for swift's 5 decimals).</summary>
    public static string? FromLastModified(string lastModified) =>
        DateTime.TryParseExact(lastModified, "yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? Format((time - DateTime.UnixEpoch).Ticks / 100)
            : null;

    /// <summary>The current time as a version id.</summary>
    public static string Now() => Format((DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 100);

    private static string Invert(string normal) => Format(MaxUnits - Units(normal)!.Value);

    private static long? Units(string value)
    {
        // swift's Timestamp accepts a number with an optional _<hex offset>; the offset does not change the version.
        var underscore = value.IndexOf('_', StringComparison.Ordinal);
        var number = underscore < 0 ? value : value[..underscore];
        if (number.Length is 0 or > 20 || !number.All(c => char.IsAsciiDigit(c) || c == '.')
            || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || (underscore >= 0 && !long.TryParse(value[(underscore + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)))
        {
            return null;
        }
        var units = decimal.Round(seconds * 100_000m, MidpointRounding.AwayFromZero);
        return units > MaxUnits ? null : (long)units;
    }

    private static string Format(long units) =>
        (units / 100_000).ToString("D10", CultureInfo.InvariantCulture) + "." + (units % 100_000).ToString("D5", CultureInfo.InvariantCulture);
}
