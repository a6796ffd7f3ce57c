using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Modules.Network;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// An instance's config drive, built on the compute host as nova's configdrive did: an ISO9660 image labelled
/// <c>config-2</c> (genisoimage, with nova's options) holding <c>openstack/{2012-08-10,latest}/</c> with
/// <c>meta_data.json</c>, <c>network_data.json</c> (how a guest without DHCP learns its address) and <c>user_data</c>,
/// and <c>ec2/{2009-04-04,latest}/meta-data.json</c> with the EC2 view (instance-id i-%08x, hostname, local-ipv4).
/// </summary>
public static class ConfigDrive
{
    public const string Label = "config-2";

    private static readonly string[] Versions = ["2012-08-10", "latest"];

    // The default encoder writes '+' as \u002B: a guest reading the ssh key with sed (as the test image does) would get it wrong.
    private static readonly JsonSerializerOptions Plain = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly TimeSpan WallClockLimit = TimeSpan.FromSeconds(60);

    /// <summary>The files of the drive, by path inside it.</summary>
    public static IReadOnlyDictionary<string, byte[]> Files(InstanceSpec instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var meta = new JsonObject
        {
            ["uuid"] = instance.Uuid,
            ["name"] = instance.Hostname ?? instance.Name,
            ["hostname"] = instance.Hostname ?? instance.Name,
            ["project_id"] = instance.ProjectId,
            ["launch_index"] = 0,
            ["availability_zone"] = "nova",
            ["meta"] = new JsonObject(),
        };
        if (instance.KeyData is { } key)
        {
            meta["public_keys"] = new JsonObject { ["default"] = key };
            meta["keys"] = new JsonArray(new JsonObject { ["name"] = "default", ["type"] = "ssh", ["data"] = key });
        }
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var version in Versions)
        {
            files[$"openstack/{version}/meta_data.json"] = JsonSerializer.SerializeToUtf8Bytes(meta, Plain);
            if (instance.Network is { } nic)
            {
                files[$"openstack/{version}/network_data.json"] = JsonSerializer.SerializeToUtf8Bytes(NetworkDataJson.Build(nic, nic.Bridge), Plain);
            }
            if (instance.UserData is { } userData)
            {
                var buffer = new byte[userData.Length];
                files[$"openstack/{version}/user_data"] = Convert.TryFromBase64String(userData, buffer, out var length) ? buffer[..length] : Encoding.UTF8.GetBytes(userData);
            }
        }
        var ec2 = new JsonObject
        {
            ["instance-id"] = "i-" + instance.Name[(instance.Name.LastIndexOf('-') + 1)..],
            ["hostname"] = instance.Hostname ?? instance.Name,
            ["local-hostname"] = instance.Hostname ?? instance.Name,
            ["local-ipv4"] = instance.Network?.Address,
        };
        foreach (var version in new[] { "2009-04-04", "latest" })
        {
            files[$"ec2/{version}/meta-data.json"] = JsonSerializer.SerializeToUtf8Bytes(ec2, Plain);
        }
        return files;
    }

    /// <summary>Writes the drive's image to <paramref name="image"/> (replacing it).</summary>
    public static async Task BuildAsync(InstanceSpec instance, string image, CancellationToken cancellationToken)
    {
        var tree = image + ".d";
        if (Directory.Exists(tree))
        {
            Directory.Delete(tree, recursive: true);
        }
        try
        {
            foreach (var (path, bytes) in Files(instance))
            {
                var file = Path.Combine(tree, path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllBytesAsync(file, bytes, cancellationToken).ConfigureAwait(false);
            }
            await GenIsoImageAsync(["-o", image, "-ldots", "-allow-lowercase", "-allow-multidot", "-l", "-publisher", "cloudd", "-quiet", "-J", "-r", "-V", Label, tree], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Directory.Exists(tree))
            {
                Directory.Delete(tree, recursive: true);
            }
        }
    }

    private static async Task GenIsoImageAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("genisoimage") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(WallClockLimit);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("genisoimage did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"a config drive needs genisoimage (Debian package genisoimage): {e.Message}", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.StandardOutput.ReadToEndAsync(deadline.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"genisoimage failed with exit code {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
            }
        }
    }
}
