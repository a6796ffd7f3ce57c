using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Glance.V2;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cloud.Modules.Glance.V1;

/// <summary>
/// The v1 list's query (<c>GET /v1/images[/detail]</c>): filters name, status, container_format, disk_format,
/// size_min/size_max, is_public, protected and <c>property-KEY=VALUE</c>; one sort_key and sort_dir (default
/// created_at desc); limit (default 25) and marker. Images shared with the caller show whatever its member status,
/// as v1 had no acceptance step. Unknown parameters are ignored, as glance v1 did; bad values are 400s.
/// </summary>
public static class V1ListQuery
{
    private const string PropertyPrefix = "property-";

    public static ImageQuery Parse(IQueryCollection query, string? defaultStatus)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? One(string name) => query.TryGetValue(name, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : null;
        if (One("changes-since") is not null)
        {
            throw CloudException.Invalid("The changes-since filter is not supported.");
        }
        var status = One("status") ?? defaultStatus;
        if (status is not null && !ImageStatus.All.Contains(status))
        {
            throw CloudException.Invalid($"Invalid status '{status}': use one of {string.Join(", ", ImageStatus.All)}.");
        }
        var sortKey = One("sort_key") ?? "created_at";
        if (sortKey is not ("name" or "status" or "container_format" or "disk_format" or "size" or "id" or "created_at" or "updated_at"))
        {
            throw CloudException.Invalid($"Unsupported sort_key '{sortKey}': use name, status, container_format, disk_format, size, id, created_at or updated_at.");
        }
        var limit = ImagesRoutes.Number(One("limit"), "limit") ?? ImageQuery.DefaultLimit;
        return new ImageQuery
        {
            Name = One("name"),
            Status = status,
            DiskFormat = One("disk_format"),
            ContainerFormat = One("container_format"),
            SizeMin = ImagesRoutes.Number(One("size_min"), "size_min"),
            SizeMax = ImagesRoutes.Number(One("size_max"), "size_max"),
            Public = Boolean(One("is_public"), "is_public"),
            Protected = Boolean(One("protected"), "protected"),
            Properties = query.Where(p => p.Key.StartsWith(PropertyPrefix, StringComparison.Ordinal) && p.Key.Length > PropertyPrefix.Length)
                .ToDictionary(p => p.Key[PropertyPrefix.Length..], p => p.Value.ToString(), StringComparer.Ordinal),
            MemberStatus = "all",
            Sort = [ImageSortKey.Parse(sortKey, One("sort_dir") ?? "desc")],
            Limit = (int)Math.Min(limit, ImageQuery.MaxLimit),
            Marker = One("marker"),
        };
    }

    /// <summary>glanceclient sends <c>None</c> for "no filter".</summary>
    private static bool? Boolean(string? text, string name) => text?.ToLowerInvariant() switch
    {
        null or "none" => null,
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw CloudException.Invalid($"Invalid value '{text}' for {name}: use true or false."),
    };
}
