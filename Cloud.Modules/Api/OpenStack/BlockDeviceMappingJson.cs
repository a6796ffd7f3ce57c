using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// A server create's <c>block_device_mapping_v2</c> (source_type/destination_type volume, uuid, boot_index,
/// delete_on_termination, device_name) or legacy <c>block_device_mapping</c> (volume_id, device_name,
/// delete_on_termination; device vda is the root) as <see cref="BlockDeviceMapping"/>s. Only existing volumes can be
/// mapped; the image itself (source image, destination local, boot index 0, as clients send it) is left to imageRef.
/// Anything else is a 400 with nova's words.
/// </summary>
public static class BlockDeviceMappingJson
{
    public static IReadOnlyList<BlockDeviceMapping> Parse(JsonElement server)
    {
        var v2 = Array(server, "block_device_mapping_v2");
        var legacy = Array(server, "block_device_mapping");
        if (v2 is not null && legacy is not null)
        {
            throw CloudException.Invalid("Using different block_device_mapping syntaxes is not allowed.");
        }
        return v2 is not null ? [.. v2.Select(ParseV2).OfType<BlockDeviceMapping>()]
            : legacy is not null ? [.. legacy.Select(ParseLegacy)]
            : [];
    }

    private static BlockDeviceMapping? ParseV2(JsonElement item)
    {
        var source = NovaJson.String(item, "source_type") ?? "volume";
        var destination = NovaJson.String(item, "destination_type") ?? (source == "image" ? "local" : "volume");
        var bootIndex = BootIndex(item);
        if (source == "image" && destination == "local")
        {
            // The image the server boots (imageRef); nova's API accepts it as a mapping too.
            return null;
        }
        if (source != "volume" || destination != "volume")
        {
            throw Invalid($"source_type '{source}' with destination_type '{destination}' is not supported; map existing volumes (source_type and destination_type 'volume').");
        }
        var uuid = NovaJson.String(item, "uuid") ?? throw Invalid("a volume mapping needs the volume's uuid.");
        return new BlockDeviceMapping(Uuid(uuid, "uuid"), Device(item), bootIndex, Bool(item, "delete_on_termination"));
    }

    private static BlockDeviceMapping ParseLegacy(JsonElement item)
    {
        if (NovaJson.String(item, "snapshot_id") is not null)
        {
            throw Invalid("snapshot_id is not supported; map existing volumes by volume_id.");
        }
        var volumeId = NovaJson.String(item, "volume_id") ?? throw Invalid("volume_id is required.");
        var device = Device(item);
        var root = device is "/dev/vda" or "/dev/sda";
        return new BlockDeviceMapping(Uuid(volumeId, "volume_id"), root ? null : device, root ? 0 : null, Bool(item, "delete_on_termination"));
    }

    private static List<JsonElement>? Array(JsonElement server, string name)
    {
        if (!server.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.Object))
        {
            throw CloudException.Invalid($"Invalid input for field/attribute {name}. Value: {value.GetRawText()}. It is not a list of objects.");
        }
        return [.. value.EnumerateArray()];
    }

    /// <summary>boot_index: a number or numeric string; negative or "none" means not bootable (a data disk).</summary>
    private static int? BootIndex(JsonElement item)
    {
        if (NovaJson.String(item, "boot_index") is not { } text || text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var index = int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw Invalid($"boot_index '{text}' is not an integer.");
        return index < 0 ? null : index;
    }

    /// <summary>device_name as nova takes it: "vdb" or "/dev/vdb"; null or empty for the next free one.</summary>
    private static string? Device(JsonElement item)
    {
        var name = NovaJson.String(item, "device_name");
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }
        var device = name.StartsWith("/dev/", StringComparison.Ordinal) ? name : "/dev/" + name;
        return VolumeDevices.IsValid(device) ? device : throw Invalid($"Device name {name} is not valid.");
    }

    private static bool Bool(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            JsonValueKind.String when value.GetString()?.ToLowerInvariant() is "true" or "1" or "yes" or "on" or "t" => true,
            JsonValueKind.String when value.GetString()?.ToLowerInvariant() is "false" or "0" or "no" or "off" or "f" => false,
            _ => throw CloudException.Invalid($"Invalid input for field/attribute {name}. Value: {value.GetRawText()}. It is not a boolean."),
        };

    private static string Uuid(string value, string field) =>
        Guid.TryParse(value, out _) ? value : throw CloudException.Invalid($"Invalid input for field/attribute {field}. Value: {value}. '{value}' is not a 'uuid'");

    private static CloudException Invalid(string reason) => CloudException.Invalid($"Block Device Mapping is Invalid: {reason}");
}
