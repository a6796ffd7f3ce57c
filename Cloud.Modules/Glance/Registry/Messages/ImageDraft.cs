using System.Text.Json;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Glance.Registry;

/// <summary>
/// The user-editable part of an image (glance's mutable attributes): what a create request holds, and what a patch
/// is applied to before the registry checks and stores it.
/// </summary>
public sealed class ImageDraft
{
    private static readonly HashSet<string> ReadOnly = new(StringComparer.Ordinal)
    {
        "id", "status", "size", "virtual_size", "checksum", "os_hash_algo", "os_hash_value", "created_at", "updated_at",
        "self", "file", "schema", "direct_url", "stores",
    };

    /// <summary>Glance's reserved properties; every name under <see cref="ReservedPrefix"/> is reserved too.</summary>
    private static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal) { "location", "deleted", "deleted_at" };

    /// <summary>Glance keeps <c>os_glance_*</c> properties for itself (import task, stores, stage host).</summary>
    public const string ReservedPrefix = "os_glance";

    public string? Name { get; set; }

    public string Visibility { get; set; } = ImageVisibility.Shared;

    public string? Owner { get; set; }

    public string? DiskFormat { get; set; }

    public string? ContainerFormat { get; set; }

    public int MinDisk { get; set; }

    public int MinRam { get; set; }

    public bool Protected { get; set; }

    public bool OsHidden { get; set; }

    public List<string> Tags { get; set; } = [];

    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    public static ImageDraft From(Image image)
    {
        var draft = new ImageDraft
        {
            Name = image.Name,
            Visibility = image.Visibility,
            Owner = image.Owner,
            DiskFormat = image.DiskFormat,
            ContainerFormat = image.ContainerFormat,
            MinDisk = image.MinDisk,
            MinRam = image.MinRam,
            Protected = image.Protected,
            OsHidden = image.OsHidden,
            Tags = [.. image.Tags],
        };
        foreach (var (key, value) in image.Properties)
        {
            draft.Properties[key] = value;
        }
        return draft;
    }

    /// <summary>
    /// Reads a create request (<c>POST /v2/images</c>): base attributes, an optional <c>id</c>, and any other member as a
    /// free-form string property. Read-only attributes are a 403.
    /// </summary>
    public static (ImageDraft Draft, string? Id) FromCreateRequest(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw CloudException.Invalid("Request body must be a JSON object.");
        }
        var draft = new ImageDraft();
        string? id = null;
        foreach (var member in body.EnumerateObject())
        {
            if (member.Name == "id")
            {
                id = NullableString("id", member.Value);
            }
            else if (ReadOnly.Contains(member.Name))
            {
                throw CloudException.Forbidden($"Attribute '{member.Name}' is read-only.");
            }
            else if (IsReserved(member.Name))
            {
                // Glance's create passes its words as webob's detail, after webob's own explanation (its patch does not).
                throw CloudException.Forbidden($"Access was denied to this resource. Attribute '{member.Name}' is reserved.");
            }
            else if (ImageRules.Reserved.Contains(member.Name))
            {
                draft.Set(member.Name, member.Value);
            }
            else
            {
                draft.Properties[member.Name] = PropertyValue(member.Name, member.Value);
            }
        }
        return (draft, id);
    }

    /// <summary>Applies one operation, as glance does: read-only attributes are 403, base attributes cannot be removed.</summary>
    public void Apply(ImagePatch patch)
    {
        var attribute = patch.Attribute;
        if (ReadOnly.Contains(attribute))
        {
            throw CloudException.Forbidden($"Attribute '{attribute}' is read-only.");
        }
        if (IsReserved(attribute))
        {
            throw CloudException.Forbidden($"Attribute '{attribute}' is reserved.");
        }
        if (!ImageRules.Reserved.Contains(attribute))
        {
            ApplyToProperty(patch);
            return;
        }
        if (patch.Op == "remove")
        {
            throw CloudException.Forbidden($"Attribute '{attribute}' is a base attribute and cannot be removed.");
        }
        Set(attribute, patch.Value!.Value);
    }

    private static bool IsReserved(string name) => ReservedNames.Contains(name) || name.StartsWith(ReservedPrefix, StringComparison.Ordinal);

    /// <summary>Sets a base attribute from its JSON value (create and patch share this).</summary>
    public void Set(string attribute, JsonElement value)
    {
        switch (attribute)
        {
            case "name": Name = NullableString(attribute, value); break;
            case "visibility": Visibility = NullableString(attribute, value) ?? throw CloudException.Invalid("visibility cannot be null."); break;
            case "owner": Owner = NullableString(attribute, value); break;
            case "disk_format": DiskFormat = NullableString(attribute, value); break;
            case "container_format": ContainerFormat = NullableString(attribute, value); break;
            case "min_disk": MinDisk = Integer(attribute, value); break;
            case "min_ram": MinRam = Integer(attribute, value); break;
            case "protected": Protected = Boolean(attribute, value); break;
            case "tags": Tags = StringList(attribute, value); break;
            case "os_hidden": OsHidden = Boolean(attribute, value); break;
            default: throw CloudException.Forbidden($"Attribute '{attribute}' is reserved.");
        }
    }

    /// <summary>Checks the whole draft against <see cref="ImageRules"/>.</summary>
    public void Validate()
    {
        ImageRules.CheckName(Name);
        ImageRules.CheckVisibility(Visibility);
        ImageRules.CheckDiskFormat(DiskFormat);
        ImageRules.CheckContainerFormat(ContainerFormat);
        ImageRules.CheckMinimum("min_disk", MinDisk);
        ImageRules.CheckMinimum("min_ram", MinRam);
        ImageRules.CheckProperties(Properties);
        Tags = Tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        ImageRules.CheckTags(Tags);
    }

    private void ApplyToProperty(ImagePatch patch)
    {
        var exists = Properties.ContainsKey(patch.Attribute);
        switch (patch.Op)
        {
            case "remove" when !exists:
            case "replace" when !exists:
                throw CloudException.Conflict($"Property {patch.Attribute} does not exist.");
            case "remove":
                Properties.Remove(patch.Attribute);
                break;
            default:
                Properties[patch.Attribute] = PropertyValue(patch.Attribute, patch.Value!.Value);
                break;
        }
    }

    /// <summary>Free-form properties are strings (the schema's additionalProperties).</summary>
    public static string PropertyValue(string attribute, JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString()!
        : throw CloudException.Invalid($"Invalid value for property '{attribute}': {value.GetRawText()} is not of type 'string'.");

    private static string? NullableString(string attribute, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => throw CloudException.Invalid($"Invalid value for '{attribute}': {value.GetRawText()} is not of type 'string'."),
    };

    private static int Integer(string attribute, JsonElement value) => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
        ? number
        : throw CloudException.Invalid($"Invalid value for '{attribute}': {value.GetRawText()} is not of type 'integer'.");

    private static bool Boolean(string attribute, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw CloudException.Invalid($"Invalid value for '{attribute}': {value.GetRawText()} is not of type 'boolean'."),
    };

    private static List<string> StringList(string attribute, JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? value.EnumerateArray().Select(v => PropertyValue(attribute, v)).ToList()
        : throw CloudException.Invalid($"Invalid value for '{attribute}': {value.GetRawText()} is not of type 'array'.");
}
