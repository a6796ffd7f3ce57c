using System.Text.Json;

namespace Cloud.Modules.Kernel.DiskImages;

/// <summary>What <c>qemu-img info --output=json</c> says of an image: format, virtual size, and any file it names.</summary>
/// <param name="Format">qemu's format name.</param>
/// <param name="VirtualSize">The guest-visible size in bytes.</param>
/// <param name="BackingFile">The backing file it names (<c>backing-filename</c>), or null.</param>
/// <param name="DataFile">A qcow2's external data file (<c>format-specific.data.data-file</c>), or null.</param>
public sealed record QemuImgInfo(string Format, long VirtualSize, string? BackingFile, string? DataFile)
{
    /// <summary>Parses qemu-img's JSON; anything else, or JSON without a format and a size, throws <see cref="FormatException"/>.</summary>
    public static QemuImgInfo Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var format = root.GetProperty("format").GetString() ?? throw new FormatException("qemu-img info: no format");
            var size = root.GetProperty("virtual-size").GetInt64();
            var backing = String(root, "backing-filename") ?? String(root, "full-backing-filename");
            string? dataFile = null;
            if (root.TryGetProperty("format-specific", out var specific) && specific.ValueKind == JsonValueKind.Object
                && specific.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                dataFile = String(data, "data-file");
            }
            return new QemuImgInfo(format, size, backing, dataFile);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"qemu-img info: unexpected output: {e.Message}", e);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
