using Cloud.Modules.Glance.Registry;

namespace Cloud.Modules.Glance.V2;

/// <summary>The v2 JSON of images and members (api-compat §4.3). The store location is never shown.</summary>
public static class ImageView
{
    public static Dictionary<string, object?> Image(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var json = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = image.Id,
            ["name"] = image.Name,
            ["status"] = image.Status,
            ["visibility"] = image.Visibility,
            ["protected"] = image.Protected,
            ["os_hidden"] = image.OsHidden,
            ["checksum"] = image.Checksum,
            ["os_hash_algo"] = image.OsHashAlgo,
            ["os_hash_value"] = image.OsHashValue,
            ["owner"] = image.Owner,
            ["size"] = image.Size,
            ["virtual_size"] = image.VirtualSize,
            ["container_format"] = image.ContainerFormat,
            ["disk_format"] = image.DiskFormat,
            ["created_at"] = GlanceJson.Timestamp(image.CreatedAt),
            ["updated_at"] = GlanceJson.Timestamp(image.UpdatedAt),
            ["tags"] = image.Tags,
            ["min_ram"] = image.MinRam,
            ["min_disk"] = image.MinDisk,
            ["self"] = $"/v2/images/{image.Id}",
            ["file"] = $"/v2/images/{image.Id}/file",
            ["schema"] = "/v2/schemas/image",
        };
        foreach (var (key, value) in image.Properties)
        {
            json[key] = value;
        }
        // Glance with stores enabled names the store holding the data (the location's scheme: file, swift).
        if (image.Location is { } location && image.Status is ImageStatus.Active or ImageStatus.Deactivated)
        {
            json["stores"] = location.Split("://", 2)[0].Split('+')[0];
        }
        return json;
    }

    public static Dictionary<string, object?> Member(ImageMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["image_id"] = member.ImageId,
            ["member_id"] = member.Member,
            ["status"] = member.Status,
            ["created_at"] = GlanceJson.Timestamp(member.CreatedAt),
            ["updated_at"] = GlanceJson.Timestamp(member.UpdatedAt),
            ["schema"] = "/v2/schemas/member",
        };
    }
}
