using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Storage;

/// <summary>The listing parameters of a container or account GET (prefix, delimiter, marker, end_marker, limit, reverse, format).</summary>
internal sealed class ContainerListingQuery
{
    /// <summary>Swift's CONTAINER_LISTING_LIMIT and ACCOUNT_LISTING_LIMIT: the default and the largest page.</summary>
    public const int MaxLimit = 10_000;

    public string Prefix { get; init; } = "";

    public char? Delimiter { get; init; }

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
        if (delimiter.Length > 1)
        {
            throw new ContainerHttpException(StatusCodes.Status412PreconditionFailed, "Bad delimiter");
        }
        var limit = MaxLimit;
        var limitText = Text(query, "limit");
        if (limitText.Length > 0)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
            {
                throw new ContainerHttpException(StatusCodes.Status400BadRequest, "Value of limit must be a non-negative integer");
            }
            if (limit > MaxLimit)
            {
                throw new ContainerHttpException(StatusCodes.Status412PreconditionFailed, $"Maximum limit is {MaxLimit}");
            }
        }
        return new ContainerListingQuery
        {
            Prefix = Text(query, "prefix"),
            Delimiter = delimiter.Length == 1 ? delimiter[0] : null,
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

    private static string Text(IQueryCollection query, string name)
    {
        var value = query[name].ToString();
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Invalid {name}");
        }
        return value;
    }
}
