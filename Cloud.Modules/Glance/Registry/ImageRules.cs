using Cloud.Modules.Kernel;

namespace Cloud.Modules.Glance.Registry;

/// <summary>
/// What an image's attributes may hold (glance's schema and quotas): known formats, lengths, at most 128
/// properties and 128 tags, and no property named like a base attribute.
/// </summary>
public static class ImageRules
{
    public const int MaxNameLength = 255;
    public const int MaxPropertyLength = 255;
    public const int MaxProperties = 128;
    public const int MaxTags = 128;

    /// <summary>Glance's disk formats, in the order of its <c>disk_formats</c> option (its schema and errors list them so).</summary>
    public static IReadOnlyList<string> DiskFormats { get; } = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"];

    public static IReadOnlyList<string> ContainerFormats { get; } = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"];

    /// <summary>Base attributes and the API's own fields: never free-form properties.</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "name", "status", "visibility", "owner", "size", "virtual_size", "checksum", "os_hash_algo", "os_hash_value",
        "disk_format", "container_format", "min_disk", "min_ram", "protected", "location", "locations", "direct_url",
        "created_at", "updated_at", "deleted_at", "deleted", "tags", "self", "file", "schema", "os_hidden", "is_public", "members",
    };

    public static void CheckName(string? name)
    {
        if (name is not null && name.Length > MaxNameLength)
        {
            throw CloudException.Invalid($"Image name is {name.Length} characters long; at most {MaxNameLength} are allowed.");
        }
    }

    public static void CheckDiskFormat(string? format)
    {
        if (format is not null && !DiskFormats.Contains(format))
        {
            throw SchemaRefusal.NotInEnum("disk_format", "Format of the disk", DiskFormats, format);
        }
    }

    public static void CheckContainerFormat(string? format)
    {
        if (format is not null && !ContainerFormats.Contains(format))
        {
            throw SchemaRefusal.NotInEnum("container_format", "Format of the container", ContainerFormats, format);
        }
    }

    public static void CheckVisibility(string visibility)
    {
        if (!ImageVisibility.All.Contains(visibility))
        {
            throw CloudException.Invalid($"Invalid visibility value '{visibility}': use one of {string.Join(", ", ImageVisibility.All)}.");
        }
    }

    public static void CheckMinimum(string attribute, int value)
    {
        if (value < 0)
        {
            throw CloudException.Invalid($"{attribute} must be a non-negative integer, not {value}.");
        }
    }

    public static void CheckProperties(IReadOnlyDictionary<string, string> properties)
    {
        if (properties.Count > MaxProperties)
        {
            throw CloudException.TooLarge($"An image may have at most {MaxProperties} properties; this one would have {properties.Count}.");
        }
        foreach (var (key, value) in properties)
        {
            if (Reserved.Contains(key))
            {
                throw CloudException.Forbidden($"Attribute '{key}' is reserved and cannot be set as a property.");
            }
            if (key.Length == 0 || key.Length > MaxPropertyLength)
            {
                throw CloudException.Invalid($"Property names must be 1 to {MaxPropertyLength} characters long; '{Shorten(key)}' is {key.Length}.");
            }
            if (value.Length > MaxPropertyLength)
            {
                throw CloudException.Invalid($"Property '{Shorten(key)}' has a value of {value.Length} characters; at most {MaxPropertyLength} are allowed.");
            }
        }
    }

    public static void CheckTags(IReadOnlyCollection<string> tags)
    {
        if (tags.Count > MaxTags)
        {
            throw CloudException.TooLarge($"An image may have at most {MaxTags} tags; this one would have {tags.Count}.");
        }
        foreach (var tag in tags)
        {
            CheckTag(tag);
        }
    }

    public static void CheckTag(string tag)
    {
        if (tag.Length == 0 || tag.Length > MaxPropertyLength)
        {
            throw CloudException.Invalid($"Tags must be 1 to {MaxPropertyLength} characters long; '{Shorten(tag)}' is {tag.Length}.");
        }
    }

    /// <summary>Glance only stores data once both formats are known.</summary>
    public static void CheckReadyForData(Image image)
    {
        if (image.DiskFormat is null || image.ContainerFormat is null)
        {
            throw CloudException.Invalid("Properties disk_format, container_format must be set prior to saving data.");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
