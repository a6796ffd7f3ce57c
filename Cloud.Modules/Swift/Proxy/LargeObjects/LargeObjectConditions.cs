using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.LargeObjects;

/// <summary>
/// A GET or HEAD's conditions (If-Match, If-None-Match, If-Unmodified-Since, If-Modified-Since) checked against a
/// large object's own ETag (the quoted MD5 of its segments' ETags) and its manifest's Last-Modified, in swob's order:
/// the storage server only knows the manifest's ETag, so these cannot be left to it.
/// </summary>
public static class LargeObjectConditions
{
    /// <summary>304 or 412 when a condition fails, else null.</summary>
    public static int? Check(HttpRequest request, string etag, DateTimeOffset? lastModified)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && !Matches(ifMatch, etag))
        {
            return StatusCodes.Status412PreconditionFailed;
        }
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && Matches(ifNoneMatch, etag))
        {
            return StatusCodes.Status304NotModified;
        }
        if (lastModified is { } modified)
        {
            if (DateOf(request.Headers.IfUnmodifiedSince.ToString()) is { } unmodifiedSince && modified > unmodifiedSince)
            {
                return StatusCodes.Status412PreconditionFailed;
            }
            if (ifNoneMatch.Length == 0 && DateOf(request.Headers.IfModifiedSince.ToString()) is { } modifiedSince && modified <= modifiedSince)
            {
                return StatusCodes.Status304NotModified;
            }
        }
        return null;
    }

    // swob's match_etag: "*" or any listed tag, quoted or not.
    private static bool Matches(string list, string etag) =>
        list.Split(',').Select(t => t.Trim().Trim('"')).Any(t => t == "*" || string.Equals(t, etag.Trim('"'), StringComparison.Ordinal));

    private static DateTimeOffset? DateOf(string value) =>
        value.Length > 0 && DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}
