using Cloud.Modules.Kernel;

namespace Cloud.Modules.Glance.Registry;

/// <summary>One key of a list's order, checked against the attributes glance sorts by.</summary>
public sealed record ImageSortKey(string Key, bool Descending)
{
    public static IReadOnlyList<string> Keys { get; } =
        ["name", "status", "container_format", "disk_format", "size", "virtual_size", "id", "created_at", "updated_at", "visibility", "owner", "min_disk", "min_ram"];

    /// <summary>A key and a direction (<c>asc</c> or <c>desc</c>) as the API names them; anything else is a 400.</summary>
    public static ImageSortKey Parse(string key, string? direction)
    {
        if (!Keys.Contains(key))
        {
            throw CloudException.Invalid($"Unsupported sort_key '{key}': use one of {string.Join(", ", Keys)}.");
        }
        return (direction ?? "desc") switch
        {
            "asc" => new ImageSortKey(key, false),
            "desc" => new ImageSortKey(key, true),
            _ => throw CloudException.Invalid($"Unsupported sort_dir '{direction}': use asc or desc."),
        };
    }
}
