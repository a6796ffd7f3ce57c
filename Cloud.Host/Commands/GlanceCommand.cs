using System.CommandLine;
using System.Text.Json;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd glance add|index|details|show|update|delete|clear|download|upload</c> and the member commands: the seed's
/// glance CLI (chapter 3.6), talking to the image API v1 over HTTP as the user of the OS_* environment (or the
/// --os-* options), with the seed's output: <c>Added new image with ID: …</c>, the index table, <c>Key: value</c> lines.
/// </summary>
public static class GlanceCommand
{
    private static readonly Option<string> AuthUrl = Env("--os-auth-url", "OS_AUTH_URL", "Identity endpoint, e.g. http://HOST:5000/v3");
    private static readonly Option<string> User = Env("--os-username", "OS_USERNAME", "User name");
    private static readonly Option<string> Password = Env("--os-password", "OS_PASSWORD", "Password");
    private static readonly Option<string> Project = Env("--os-project-name", "OS_PROJECT_NAME", "Project to work in");
    private static readonly Option<string> ImageUrl = Env("--os-image-url", "OS_IMAGE_URL", "Image API, when not the one in the service catalog");
    private static readonly Argument<string> ImageId = new("id") { Description = "Image id" };
    private static readonly Argument<string[]> Fields = new("fields") { Description = "key=value pairs: name, disk_format, container_format, is_public, protected, min_ram, min_disk, owner; any other key is a property", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string> File = new("--file") { Description = "Image data to upload (- for stdin)" };

    public static Command Create()
    {
        var glance = new Command("glance", "The image service as the seed's glance CLI had it (image API v1; OS_* environment as the real clients).");
        foreach (var option in new[] { AuthUrl, User, Password, Project, ImageUrl })
        {
            option.Recursive = true;
            glance.Options.Add(option);
        }

        var add = new Command("add", "Adds a new image: cloudd glance add name=NAME disk_format=ami container_format=ami [key=value ...] --file FILE") { Fields, File };
        SetAction(add, async (parse, client, ct) =>
        {
            var file = parse.GetValue(File);
            await using var data = file is null ? null : ProgressStream.Wrap(file == "-" ? Console.OpenStandardInput() : System.IO.File.OpenRead(file), file == "-" ? null : new FileInfo(file).Length);
            var image = await client.AddAsync(Meta(parse.GetValue(Fields) ?? []), data, ct).ConfigureAwait(false);
            Console.WriteLine($"Added new image with ID: {image.GetProperty("id").GetString()}");
        });

        var index = new Command("index", "Brief information about the images you can use (active ones).");
        SetAction(index, async (_, client, ct) =>
        {
            var images = await client.ListAsync(detail: false, ct).ConfigureAwait(false);
            if (images.Count == 0)
            {
                Console.WriteLine("No images found.");
                return;
            }
            Console.WriteLine($"Found {images.Count} images...");
            TextTable.Write(Console.Out, ["ID", "Name", "Disk Format", "Container Format", "Size"],
                images.Select(i => (IReadOnlyList<string>)[Text(i, "id"), Text(i, "name"), Text(i, "disk_format"), Text(i, "container_format"), Text(i, "size")]), rule: true);
        });

        var details = new Command("details", "Detailed information about every image you can see.");
        SetAction(details, async (_, client, ct) =>
        {
            foreach (var image in await client.ListAsync(detail: true, ct).ConfigureAwait(false))
            {
                Console.WriteLine(new string('=', 80));
                GlanceOutput.Show(client.ImageUrl, GlanceOutput.Flatten(image));
            }
        });

        var show = new Command("show", "Detailed information about one image.") { ImageId };
        SetAction(show, async (parse, client, ct) =>
            GlanceOutput.Show(client.ImageUrl, await client.HeadAsync(parse.GetRequiredValue(ImageId), ct).ConfigureAwait(false)));

        var update = new Command("update", "Updates an image's metadata: cloudd glance update ID key=value ...") { ImageId, Fields };
        SetAction(update, async (parse, client, ct) =>
        {
            var id = parse.GetRequiredValue(ImageId);
            var image = await client.UpdateAsync(id, Meta(parse.GetValue(Fields) ?? []), ct).ConfigureAwait(false);
            Console.WriteLine($"Updated image {id}");
            GlanceOutput.Show(client.ImageUrl, GlanceOutput.Flatten(image));
        });

        var delete = new Command("delete", "Deletes an image and its data.") { ImageId };
        SetAction(delete, async (parse, client, ct) =>
        {
            var id = parse.GetRequiredValue(ImageId);
            await client.DeleteAsync(id, ct).ConfigureAwait(false);
            Console.WriteLine($"Deleted image {id}");
        });

        var clear = new Command("clear", "Deletes every image your project owns; protected ones stay.");
        SetAction(clear, async (_, client, ct) =>
        {
            var deleted = 0;
            foreach (var image in await client.ListAsync(detail: true, ct).ConfigureAwait(false))
            {
                var id = Text(image, "id");
                if (image.GetProperty("protected").GetBoolean() || Text(image, "owner") != client.ProjectId)
                {
                    continue;
                }
                Console.WriteLine($"Deleting image {id} \"{Text(image, "name")}\"");
                await client.DeleteAsync(id, ct).ConfigureAwait(false);
                deleted++;
            }
            Console.WriteLine($"Deleted {deleted} images");
        });

        var download = new Command("download", "Writes an image's data to a file (or stdout).") { ImageId, File };
        SetAction(download, async (parse, client, ct) =>
        {
            var file = parse.GetValue(File);
            using var response = await client.DownloadAsync(parse.GetRequiredValue(ImageId), ct).ConfigureAwait(false);
            await using var data = file is null or "-"
                ? await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false)
                : ProgressStream.Wrap(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), response.Content.Headers.ContentLength);
            await using var output = file is null or "-" ? Console.OpenStandardOutput() : System.IO.File.Create(file);
            await data.CopyToAsync(output, 1 << 20, ct).ConfigureAwait(false);
        });

        foreach (var command in new[] { add, index, details, show, update, delete, clear, download, GlanceUploadCommand.Create() })
        {
            glance.Subcommands.Add(command);
        }
        foreach (var command in GlanceMemberCommands.Create())
        {
            glance.Subcommands.Add(command);
        }
        return glance;
    }

    /// <summary>Runs <paramref name="action"/> with a connected client; failures print one line and exit with 1.</summary>
    internal static void SetAction(Command command, Func<ParseResult, GlanceClient, CancellationToken, Task> action) =>
        command.SetAction((parse, ct) => CloudCommand.GuardAsync(async () =>
        {
            // The environment is read here, not as the options' defaults, so --help never prints a password.
            string? Given(Option<string> option, string variable) =>
                parse.GetValue(option) is { Length: > 0 } value ? value : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set : null;
            string Required(Option<string> option, string variable) => Given(option, variable) ?? throw new OperatorException($"give {option.Name} or set {variable}");
            var credentials = new GlanceCredentials(Required(AuthUrl, "OS_AUTH_URL"), Required(User, "OS_USERNAME"), Required(Password, "OS_PASSWORD"),
                Required(Project, "OS_PROJECT_NAME"), Given(ImageUrl, "OS_IMAGE_URL"));
            using var client = await GlanceClient.ConnectAsync(credentials, ct).ConfigureAwait(false);
            await action(parse, client, ct).ConfigureAwait(false);
            return 0;
        }));

    /// <summary>key=value fields as v1 metadata headers: base attributes as themselves, anything else a property.</summary>
    internal static Dictionary<string, string> Meta(IEnumerable<string> fields)
    {
        string[] attributes = ["id", "name", "disk_format", "container_format", "is_public", "protected", "min_ram", "min_disk", "owner", "size", "checksum"];
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new OperatorException($"'{field}' is not a key=value field");
            }
            var (key, value) = (field[..eq], field[(eq + 1)..]);
            meta[attributes.Contains(key) ? $"x-image-meta-{key}" : $"x-image-meta-property-{key}"] = value;
        }
        return meta;
    }

    internal static string Text(JsonElement image, string name) =>
        image.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "None",
            _ => value.GetRawText(),
        } : "None";

    private static Option<string> Env(string name, string variable, string description) => new(name) { Description = $"{description} (default: ${variable})" };
}
