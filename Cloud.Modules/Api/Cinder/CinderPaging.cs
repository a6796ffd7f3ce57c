using System.Globalization;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// Cinder's list parameters: <c>sort=key:dir,…</c> (or <c>sort_key</c>/<c>sort_dir</c>; default newest first),
/// <c>marker</c> (the last id of the previous page), <c>limit</c> (at most <see cref="MaxLimit"/>) and <c>offset</c>; a next
/// link when a page is full. Bad values are 400s; an unknown marker is 404, as Cinder's MarkerNotFound.
/// </summary>
/// <typeparam name="T">The listed record.</typeparam>
public sealed class CinderPaging<T>(IReadOnlyDictionary<string, Func<T, IComparable?>> sortKeys, Func<T, string> id)
{
    /// <summary>Cinder's osapi_max_limit.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The page of <paramref name="items"/> the request asks for, and whether there may be more.</summary>
    public (IReadOnlyList<T> Page, bool More) Apply(HttpContext context, IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        var sorted = Sort(items, SortOrder(query));
        var marker = query["marker"].ToString();
        if (marker.Length > 0)
        {
            var index = sorted.FindIndex(i => id(i) == marker);
            sorted = index >= 0 ? sorted[(index + 1)..] : throw CloudException.NotFound($"Marker {marker} could not be found.");
        }
        var offset = Number(query, "offset") ?? 0;
        var limit = Math.Min(Number(query, "limit") ?? MaxLimit, MaxLimit);
        var page = sorted.Skip(offset).Take(limit).ToList();
        return (page, page.Count == limit && sorted.Count > offset + limit);
    }

    /// <summary>The next-page link of a full page (<c>volumes_links</c>, <c>snapshots_links</c>).</summary>
    public object[] NextLink(HttpContext context, IReadOnlyList<T> page, bool more)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        if (!more || page.Count == 0)
        {
            return [];
        }
        var rest = context.Request.Query.Where(p => p.Key is not ("marker" or "offset"))
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value.ToString())}");
        var query = string.Join('&', rest.Append($"marker={Uri.EscapeDataString(id(page[^1]))}"));
        return [new { rel = "next", href = $"{OpenStack.NovaJson.BaseUrl(context)}{context.Request.Path}?{query}" }];
    }

    private List<T> Sort(IEnumerable<T> items, IReadOnlyList<(string Key, bool Descending)> order)
    {
        IOrderedEnumerable<T>? sorted = null;
        foreach (var (key, descending) in order)
        {
            var select = sortKeys[key];
            sorted = sorted is null
                ? descending ? items.OrderByDescending(select) : items.OrderBy(select)
                : descending ? sorted.ThenByDescending(select) : sorted.ThenBy(select);
        }
        return [.. (sorted ?? items.OrderBy(_ => 0)).ThenByDescending(id, StringComparer.Ordinal)];
    }

    private List<(string Key, bool Descending)> SortOrder(IQueryCollection query)
    {
        var sort = query["sort"].ToString();
        var pairs = sort.Length > 0
            ? sort.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split(':', 2)).Select(p => (p[0], p.Length > 1 ? p[1] : "desc"))
            : query["sort_key"].ToString() is { Length: > 0 } key ? [(key, query["sort_dir"].ToString() is { Length: > 0 } dir ? dir : "desc")]
            : [("created_at", "desc")];
        return [.. pairs.Select(p => sortKeys.ContainsKey(p.Item1)
            ? (p.Item1, p.Item2.ToLowerInvariant() switch
            {
                "desc" => true,
                "asc" => false,
                _ => throw CloudException.Invalid($"Invalid input received: Unknown sort direction, must be 'desc' or 'asc'"),
            })
            : throw CloudException.Invalid($"Invalid input received: Invalid sort key {p.Item1}"))];
    }

    private static int? Number(IQueryCollection query, string name)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value >= 0 ? value : throw CloudException.Invalid($"Invalid input received: {name} param must be positive")
            : throw CloudException.Invalid($"Invalid input received: {name} param must be an integer");
    }
}
