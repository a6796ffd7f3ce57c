using System.Globalization;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's collection paging (<c>common.get_limit_and_marker</c> and <c>_get_collection_links</c>): <c>limit</c> (at most
/// 1000, osapi_max_limit), <c>marker</c> (the key of the previous page's last item; unknown → 400), and the
/// <c>xxx_links</c> "next" link when a page is full.
/// </summary>
public static class NovaPaging
{
    /// <summary>nova's default osapi_max_limit.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The page the query asks for, and the limit it was cut to.</summary>
    public static (IReadOnlyList<T> Page, int Limit) Page<T>(HttpContext context, IEnumerable<T> ordered, Func<T, string> keyOf)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(keyOf);
        var query = context.Request.Query;
        var limit = MaxLimit;
        if (query["limit"].ToString() is { Length: > 0 } text)
        {
            limit = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var asked)
                ? Math.Min(asked, MaxLimit)
                : throw CloudException.Invalid($"Invalid input for query parameters limit. Value: {text}. '{text}' is not a non-negative integer.");
        }
        var all = ordered.ToList();
        var start = 0;
        if (query["marker"].ToString() is { Length: > 0 } marker)
        {
            var index = all.FindIndex(i => string.Equals(keyOf(i), marker, StringComparison.Ordinal));
            start = index >= 0 ? index + 1 : throw CloudException.Invalid($"marker [{marker}] not found");
        }
        return ([.. all.Skip(start).Take(limit)], limit);
    }

    /// <summary>
    /// The "next" link of a full page (nova adds it whenever the page holds <c>limit</c> items), keeping the other query
    /// parameters; null otherwise.
    /// </summary>
    public static object[]? NextLinks<T>(HttpContext context, string collection, IReadOnlyList<T> page, int limit, Func<T, string> keyOf)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(keyOf);
        if (page.Count == 0 || page.Count < limit)
        {
            return null;
        }
        var parameters = context.Request.Query.Where(p => p.Key != "marker")
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new KeyValuePair<string, string?>("marker", keyOf(page[^1])));
        return [new { rel = "next", href = QueryHelpers.AddQueryString($"{NovaJson.BaseUrl(context)}/v2.1/{collection}", parameters) }];
    }
}
