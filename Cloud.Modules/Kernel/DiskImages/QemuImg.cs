using System.Diagnostics;
using System.Globalization;

namespace Cloud.Modules.Kernel.DiskImages;

/// <summary>
/// The <c>qemu-img</c> commands hosts need: what an image is, a copy-on-write overlay on it (compute), and its bytes
/// written into an existing raw disk (a volume made from an image). qemu-img is
/// always told the format (never left to probe a tenant's bytes) and runs under nova's QEMU_IMG_LIMITS (1 GiB of
/// address space, 30 s of CPU) and a wall-clock deadline, so a hostile image cannot make it eat the host.
/// </summary>
public static class QemuImg
{
    /// <summary>nova's QEMU_IMG_LIMITS address space: 1 GiB.</summary>
    public const long AddressSpaceLimit = 1L << 30;

    /// <summary>nova's QEMU_IMG_LIMITS CPU time: 30 s.</summary>
    public const int CpuSecondsLimit = 30;

    /// <summary>
    /// Address space of a convert: 4 GiB. A convert's I/O thread pool grows with slow storage (up to 64 workers, each
    /// reserving its stack), so under load 1 GiB made <c>qemu_thread_create</c> fail ("Resource temporarily unavailable",
    /// a volume from an image in error, seen in CI). It converts only a disk QEMU wrote (a snapshot) or an image
    /// <see cref="ImageInspector"/> accepted under the 1 GiB limit first (declared format, no backing or data file, a size
    /// that fits), so the wider limit still bounds it.
    /// </summary>
    public const long ConvertAddressSpaceLimit = 4L << 30;

    /// <summary>How long a copy of an image into a volume may take (CPU and wall clock).</summary>
    public static readonly TimeSpan ConvertLimit = TimeSpan.FromHours(1);

    private static readonly TimeSpan WallClockLimit = TimeSpan.FromSeconds(120);

    /// <summary>
    /// <c>qemu-img info -f <paramref name="format"/> --output=json</c> of the image, not following its backing chain.
    /// A failure of qemu-img throws <see cref="InvalidOperationException"/> with its message; odd output, <see cref="FormatException"/>.
    /// </summary>
    public static async Task<QemuImgInfo> InfoAsync(string path, string format, CancellationToken cancellationToken) =>
        QemuImgInfo.Parse(await RunAsync(["info", "-f", format, "--force-share", "--output=json", Path.GetFullPath(path)], cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// A qcow2 overlay at <paramref name="disk"/> on <paramref name="backing"/> (of <paramref name="backingFormat"/>, as inspected),
    /// grown to <paramref name="sizeBytes"/> when that is more than the backing's <paramref name="backingVirtualSize"/>.
    /// </summary>
    public static async Task CreateOverlayAsync(string backing, string backingFormat, long backingVirtualSize, string disk, long sizeBytes, CancellationToken cancellationToken)
    {
        List<string> args = ["create", "-f", "qcow2", "-F", backingFormat, "-b", Path.GetFullPath(backing), disk];
        if (sizeBytes > backingVirtualSize)
        {
            args.Add(sizeBytes.ToString(CultureInfo.InvariantCulture));
        }
        await RunAsync(args, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>qemu-img convert -f <paramref name="format"/> -O raw -n</c>: the image's disk written into <paramref name="target"/>,
    /// which exists already (a volume's file or block device) and is not recreated. Only for an image
    /// <see cref="ImageInspector"/> accepted. A copy takes as long as its size needs: its deadline is <see cref="ConvertLimit"/>.
    /// </summary>
    public static async Task ConvertToExistingRawAsync(string image, string format, string target, CancellationToken cancellationToken) =>
        await RunAsync(["convert", "-f", format, "-O", "raw", "-n", Path.GetFullPath(image), target], cancellationToken, ConvertLimit, ConvertAddressSpaceLimit).ConfigureAwait(false);

    /// <summary>
    /// <c>qemu-img convert -f <paramref name="format"/> -O qcow2 -U</c>: the disk as it stands (its backing chain flattened) into a
    /// new standalone qcow2 at <paramref name="target"/> (a snapshot). <c>-U</c> reads a disk a paused guest still holds open.
    /// The disk is one QEMU wrote (an instance's overlay), so it may use <see cref="ConvertAddressSpaceLimit"/>: its I/O threads
    /// do not fit in 1 GiB once the disk is large.
    /// </summary>
    public static async Task ConvertToQcow2Async(string disk, string format, string target, CancellationToken cancellationToken) =>
        await RunAsync(["convert", "-U", "-f", format, "-O", "qcow2", Path.GetFullPath(disk), target], cancellationToken, ConvertLimit, ConvertAddressSpaceLimit).ConfigureAwait(false);

    /// <summary><c>qemu-img resize</c>: grows the disk to <paramref name="sizeBytes"/> (a resize to a flavor with a bigger root disk).</summary>
    public static async Task GrowAsync(string disk, string format, long sizeBytes, CancellationToken cancellationToken) =>
        await RunAsync(["resize", "-f", format, Path.GetFullPath(disk), sizeBytes.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);

    private static async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken, TimeSpan? limit = null, long addressSpace = AddressSpaceLimit)
    {
        var cpuSeconds = limit is { } l ? (int)l.TotalSeconds : CpuSecondsLimit;
        var wallClock = limit ?? WallClockLimit;
        var start = new ProcessStartInfo("prlimit") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[$"--as={addressSpace}", $"--cpu={cpuSeconds}", "--", "qemu-img", .. args])
        {
            start.ArgumentList.Add(arg);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wallClock);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("qemu-img did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            throw new InvalidOperationException($"qemu-img {args[0]} took longer than {wallClock.TotalSeconds} s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"qemu-img {args[0]} failed: {(await stderr.ConfigureAwait(false)).Trim()}");
        }
        return await stdout.ConfigureAwait(false);
    }
}
