using System.Diagnostics;
using System.Text.Json;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>The <c>qemu-img</c> commands the driver needs: what a base image is, and a copy-on-write overlay on it.</summary>
public static class QemuImg
{
    /// <summary>The image's format (qcow2, raw, ...) and virtual size in bytes, as <c>qemu-img info</c> sees them.</summary>
    public static async Task<(string Format, long VirtualSize)> InfoAsync(string path, CancellationToken cancellationToken)
    {
        var json = JsonDocument.Parse(await RunAsync(["info", "--output=json", path], cancellationToken).ConfigureAwait(false)).RootElement;
        return (json.GetProperty("format").GetString() ?? "raw", json.GetProperty("virtual-size").GetInt64());
    }

    /// <summary>A qcow2 overlay at <paramref name="disk"/> backed by <paramref name="backing"/>, grown to <paramref name="sizeBytes"/> when that is larger.</summary>
    public static async Task CreateOverlayAsync(string backing, string disk, long sizeBytes, CancellationToken cancellationToken)
    {
        var (format, virtualSize) = await InfoAsync(backing, cancellationToken).ConfigureAwait(false);
        List<string> args = ["create", "-f", "qcow2", "-F", format, "-b", backing, disk];
        if (sizeBytes > virtualSize)
        {
            args.Add(sizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await RunAsync(args, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("qemu-img") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("qemu-img did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"qemu-img {args[0]} failed: {(await stderr.ConfigureAwait(false)).Trim()}");
        }
        return await stdout.ConfigureAwait(false);
    }
}
