using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Storage;

/// <summary>The listing parameters of a container or account GET (prefix, delimiter, marker, end_marker, limit, reverse, format).</summary>
internal sealed class ContainerListingQuery
{
    /// <summary>Swift's CONTAINER_LISTING_LIMIT and ACCOUNT_LISTING_LIMIT: the default and the largest page.</summary>
    public const int MaxLimit = 10_000;

    public string Prefix { get; init; } = "";

    /// <summary>Any non-empty string (swift allows several characters); null for none.</summary>
    public string? Delimiter { get; init; }

    /// <summary>With <c>path=</c>: only the names directly under <see cref="Prefix"/>, no subdirs (swift's legacy listing).</summary>
    public bool PathOnly { get; init; }

    public string Marker { get; init; } = "";

    public string EndMarker { get; init; } = "";

    public int Limit { get; init; } = MaxLimit;

    public bool Reverse { get; init; }

    /// <summary>json, xml or plain.</summary>
    public string Format { get; init; } = "plain";

    public static ContainerListingQuery Parse(HttpRequest request)
    {
        var query = request.Query;
        var delimiter = Text(query, "delimiter");
        // As swift's servers: a limit that is not all digits (-1, 5000.0, +3) is ignored, not refused.
        var limit = MaxLimit;
        var limitText = Text(query, "limit");
        if (limitText.Length > 0 && limitText.All(char.IsAsciiDigit))
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit > MaxLimit)
            {
                throw new ContainerHttpException(StatusCodes.Status412PreconditionFailed, $"Maximum limit is {MaxLimit}");
            }
        }
        var prefix = Text(query, "prefix");
        var pathOnly = query.ContainsKey("path");
        if (pathOnly)
        {
            // path=a/b means the names directly under a/b/; path= the names with no slash at all.
            var path = Text(query, "path").TrimEnd('/');
            prefix = path.Length == 0 ? "" : path + "/";
            delimiter = "/";
        }
        return new ContainerListingQuery
        {
            Prefix = prefix,
            Delimiter = delimiter.Length > 0 ? delimiter : null,
            PathOnly = pathOnly,
            Marker = Text(query, "marker"),
            EndMarker = Text(query, "end_marker"),
            Limit = limit,
            Reverse = Text(query, "reverse").ToLowerInvariant() is "true" or "1" or "yes" or "on" or "t" or "y",
            Format = FormatOf(Text(query, "format"), request.Headers.Accept.ToString()),
        };
    }

    // Like swift's get_listing_content_type: format= wins, an unknown format means plain; else the Accept header.
    private static string FormatOf(string format, string accept)
    {
        if (format.Length > 0)
        {
            return format.ToLowerInvariant() switch
            {
                "json" => "json",
                "xml" => "xml",
                _ => "plain",
            };
        }
        if (accept.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return "json";
        }
        return accept.Contains("application/xml", StringComparison.OrdinalIgnoreCase) || accept.Contains("text/xml", StringComparison.OrdinalIgnoreCase)
            ? "xml"
            : "plain";
    }

    // A NUL is a character like another (swift lists marker=%00 as a marker below every name).
    private static string Text(IQueryCollection query, string name) => query[name].ToString();
}
