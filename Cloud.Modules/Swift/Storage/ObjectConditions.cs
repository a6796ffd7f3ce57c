using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// The conditional headers of an object GET or HEAD as swob's conditional responses weigh them: If-None-Match, then
/// If-Match, then If-Modified-Since, then If-Unmodified-Since. Dates that do not parse are ignored, as swob's are.
/// </summary>
internal static class ObjectConditions
{
    /// <summary>304, 412, or null when the object is to be served.</summary>
    public static int? Check(IHeaderDictionary request, string etag, string timestamp)
    {
        var ifNoneMatch = request.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && EtagListMatches(ifNoneMatch, etag))
        {
            return StatusCodes.Status304NotModified;
        }
        var ifMatch = request.IfMatch.ToString();
        if (ifMatch.Length > 0 && !EtagListMatches(ifMatch, etag))
        {
            return StatusCodes.Status412PreconditionFailed;
        }
        // Last-Modified is the timestamp rounded up to the second, and that is what the dates are compared with.
        var lastModified = Common.SwiftLastModified.Seconds(timestamp);
        if (Date(request.IfModifiedSince.ToString()) is { } since && lastModified <= since)
        {
            return StatusCodes.Status304NotModified;
        }
        if (Date(request.IfUnmodifiedSince.ToString()) is { } unmodifiedSince && lastModified > unmodifiedSince)
        {
            return StatusCodes.Status412PreconditionFailed;
        }
        return null;
    }

    /// <summary>Whether a list of entity tags (quoted or not, or *) names <paramref name="etag"/>.</summary>
    public static bool EtagListMatches(string header, string etag) =>
        header.Split(',').Select(e => e.Trim()).Any(e => e == "*" || string.Equals(Unquote(e), etag, StringComparison.OrdinalIgnoreCase));

    /// <summary>An entity tag without its quotes (and W/ prefix).</summary>
    public static string Unquote(string etag)
    {
        var trimmed = etag.Trim();
        if (trimmed.StartsWith("W/", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..];
        }
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1] : trimmed;
    }

    // An HTTP date in seconds since the epoch; null when it does not parse.
    private static long? Date(string text) =>
        text.Length > 0 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var date)
            ? date.ToUnixTimeSeconds()
            : null;
}
