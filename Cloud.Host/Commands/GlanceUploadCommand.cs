using System.CommandLine;
using System.Text.Json;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd glance upload --type kernel|ramdisk|machine [--kernel ID --ramdisk ID] FILE NAME</c>: the seed's
/// glance-upload helper. A kernel is stored as aki, a ramdisk as ari, a machine image as ami linked to its kernel and
/// ramdisk by the kernel_id and ramdisk_id properties; each carries the property <c>type</c>.
/// </summary>
public static class GlanceUploadCommand
{
    private static readonly Option<string> Type = new("--type") { Description = "kernel, ramdisk or machine", Required = true };
    private static readonly Option<string> Kernel = new("--kernel") { Description = "Id of the machine image's kernel" };
    private static readonly Option<string> Ramdisk = new("--ramdisk") { Description = "Id of the machine image's ramdisk" };
    private static readonly Option<bool> Public = new("--public") { Description = "Make the image public (admins only)" };
    private static readonly Argument<string> File = new("file") { Description = "The image file" };
    private static readonly Argument<string> Name = new("name") { Description = "The image's name" };

    public static Command Create()
    {
        var upload = new Command("upload", "Uploads a kernel, ramdisk or machine image (the seed's glance-upload).") { Type, Kernel, Ramdisk, Public, File, Name };
        GlanceCommand.SetAction(upload, async (parse, client, ct) =>
        {
            var type = parse.GetRequiredValue(Type);
            var format = type switch
            {
                "kernel" => "aki",
                "ramdisk" => "ari",
                "machine" => "ami",
                _ => throw new OperatorException($"--type {type}: use kernel, ramdisk or machine"),
            };
            if (type != "machine" && (parse.GetValue(Kernel) ?? parse.GetValue(Ramdisk)) is not null)
            {
                throw new OperatorException("--kernel and --ramdisk belong to a machine image");
            }
            var meta = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["x-image-meta-name"] = parse.GetRequiredValue(Name),
                ["x-image-meta-disk_format"] = format,
                ["x-image-meta-container_format"] = format,
                ["x-image-meta-is_public"] = parse.GetValue(Public) ? "true" : "false",
                ["x-image-meta-property-type"] = type,
            };
            if (parse.GetValue(Kernel) is { } kernel)
            {
                meta["x-image-meta-property-kernel_id"] = kernel;
            }
            if (parse.GetValue(Ramdisk) is { } ramdisk)
            {
                meta["x-image-meta-property-ramdisk_id"] = ramdisk;
            }
            var path = parse.GetRequiredValue(File);
            if (!System.IO.File.Exists(path))
            {
                throw new OperatorException($"{path}: no such file");
            }
            await using var data = ProgressStream.Wrap(System.IO.File.OpenRead(path), new FileInfo(path).Length);
            var image = await client.AddAsync(meta, data, ct).ConfigureAwait(false);
            Console.WriteLine($"Stored image. Got identifier: {Identifier(image)}");
        });
        return upload;
    }

    /// <summary>The stored image as the seed printed it: one <c>'key': value</c> pair a line, in a Python-like dict.</summary>
    private static string Identifier(JsonElement image)
    {
        static string Value(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => $"'{value.GetString()}'",
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            JsonValueKind.Null => "None",
            JsonValueKind.Object => "{" + string.Join(", ", value.EnumerateObject().Select(p => $"'{p.Name}': {Value(p.Value)}")) + "}",
            _ => value.GetRawText(),
        };
        return "{" + string.Join(",\n", image.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"'{p.Name}': {Value(p.Value)}")) + "}";
    }
}
