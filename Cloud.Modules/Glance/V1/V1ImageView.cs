using System.Globalization;
using Cloud.Modules.Glance.Registry;

namespace Cloud.Modules.Glance.V1;

/// <summary>
/// Images as the v1 API shows them (api-compat §4.5): <c>is_public</c> instead of visibility, properties apart, size 0
/// before upload (glanceclient v1 reads it as an integer), timestamps without a zone. The location is never shown.
/// </summary>
public static class V1ImageView
{
    /// <summary>The base attributes in glance v1's order; null values are left out of headers.</summary>
    public static IEnumerable<(string Key, object? Value)> Attributes(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        yield return ("id", image.Id);
        yield return ("name", image.Name);
        yield return ("status", image.Status);
        yield return ("disk_format", image.DiskFormat);
        yield return ("container_format", image.ContainerFormat);
        yield return ("size", image.Size ?? 0);
        yield return ("checksum", image.Checksum);
        yield return ("is_public", image.Visibility is ImageVisibility.Public);
        yield return ("protected", image.Protected);
        yield return ("min_ram", image.MinRam);
        yield return ("min_disk", image.MinDisk);
        yield return ("owner", image.Owner);
        yield return ("created_at", Timestamp(image.CreatedAt));
        yield return ("updated_at", Timestamp(image.UpdatedAt));
        yield return ("deleted", image.Deleted);
        yield return ("deleted_at", image.DeletedAt is { } deleted ? Timestamp(deleted) : null);
    }

    /// <summary><c>GET /v1/images/detail</c>, POST and PUT answers: every attribute and the properties.</summary>
    public static Dictionary<string, object?> Detail(Image image)
    {
        var json = Attributes(image).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        json["properties"] = image.Properties;
        return json;
    }

    /// <summary><c>GET /v1/images</c>: the summary glance v1 gave.</summary>
    public static Dictionary<string, object?> Summary(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = image.Id,
            ["name"] = image.Name,
            ["disk_format"] = image.DiskFormat,
            ["container_format"] = image.ContainerFormat,
            ["size"] = image.Size ?? 0,
            ["checksum"] = image.Checksum,
        };
    }

    private static string Timestamp(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
