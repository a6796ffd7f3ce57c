using System.Globalization;
using System.Text.RegularExpressions;
using Cloud.Modules.Kernel.Host;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Volume.Drivers;

/// <summary>
/// Volumes as logical volumes of <c>--volume_group</c> (nova-volume's VolumeDriver): <c>lvcreate -L {n}G -n NAME VG</c>,
/// snapshots as LVM snapshots (<c>lvcreate -L SIZE -s -n SNAP VG/VOLUME</c>), a volume from a snapshot or a clone as a
/// new LV the data is copied into with dd (a clone through a temporary snapshot, so the copy is of one moment), and
/// every delete overwritten with zeros (<c>--volume_clear</c>/<c>--volume_clear_size</c>) before <c>lvremove</c>, because
/// the extents go to the next volume created. A snapshot's zeros go to its copy-on-write store
/// (<c>/dev/mapper/VG-SNAP-cow</c>): writing them through the snapshot would fill it instead. Needs device-mapper
/// (<c>/dev/mapper/control</c>); hosts without it use <see cref="FileVolumeDriver"/>.
/// </summary>
public sealed partial class LvmVolumeDriver(IOptions<VolumeFlags> flags, IHostCommands host, ILogger<LvmVolumeDriver> log) : IVolumeDriver
{
    private const long MiB = 1L << 20;
    private const long GiB = 1L << 30;

    private string Group => flags.Value.VolumeGroup;

    public async Task CheckSetupAsync(CancellationToken cancellationToken)
    {
        var run = await host.TryAsync(["vgs", Group], cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"volume group {Group} (--volume_group) is not usable: {run.Stderr.Trim()}. Create it (vgcreate {Group} DEVICE) "
                + "or use --volume_driver=file on hosts without LVM or device-mapper");
        }
        VolumeWipe.Check(flags.Value);
    }

    public async Task<string> CreateVolumeAsync(string name, long sizeGb, CancellationToken cancellationToken)
    {
        var path = PathFor(name);
        if (await SizeOfAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            await host.RunAsync(["lvcreate", "-L", Gigabytes(sizeGb), "-n", name, Group], cancellationToken).ConfigureAwait(false);
        }
        return path;
    }

    public Task<string> CreateVolumeFromSnapshotAsync(string name, long sizeGb, string snapshotName, CancellationToken cancellationToken) =>
        CopyIntoNewAsync(name, sizeGb, snapshotName, cancellationToken);

    public async Task<string> CloneVolumeAsync(string name, long sizeGb, string sourceName, CancellationToken cancellationToken)
    {
        var path = PathFor(name);
        if (await SizeOfAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            return path;
        }
        var moment = $"{name}-clone-src";
        await CreateSnapshotAsync(sourceName, moment, cancellationToken).ConfigureAwait(false);
        try
        {
            return await CopyIntoNewAsync(name, sizeGb, moment, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The temporary snapshot holds nothing the clone does not: no wipe beyond its copy-on-write store's.
            await DeleteSnapshotAsync(moment, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task DeleteVolumeAsync(string name, CancellationToken cancellationToken)
    {
        PathFor(name);
        if (await SizeOfAsync(name, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return;
        }
        await WipeAsync(PathFor(name), bytes, cancellationToken).ConfigureAwait(false);
        await host.RunAsync(["lvremove", "-f", $"{Group}/{name}"], cancellationToken).ConfigureAwait(false);
        LogDeleted(Group, name);
    }

    public async Task ExtendVolumeAsync(string name, long newSizeGb, CancellationToken cancellationToken)
    {
        PathFor(name);
        var bytes = await SizeOfAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"logical volume {Group}/{name} does not exist");
        if (bytes < Bytes(newSizeGb))
        {
            await host.RunAsync(["lvextend", "-L", Gigabytes(newSizeGb), $"{Group}/{name}"], cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CreateSnapshotAsync(string volumeName, string snapshotName, CancellationToken cancellationToken)
    {
        PathFor(snapshotName);
        var bytes = await SizeOfAsync(volumeName, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"logical volume {Group}/{volumeName} does not exist");
        if (await SizeOfAsync(snapshotName, cancellationToken).ConfigureAwait(false) is null)
        {
            // As large as its origin: the snapshot stays valid even if every block of the volume is rewritten.
            await host.RunAsync(["lvcreate", "-L", $"{Text(bytes)}b", "-s", "-n", snapshotName, $"{Group}/{volumeName}"], cancellationToken)
                .ConfigureAwait(false);
        }
    }

    public async Task DeleteSnapshotAsync(string snapshotName, CancellationToken cancellationToken)
    {
        PathFor(snapshotName);
        if (await SizeOfAsync(snapshotName, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return;
        }
        await WipeAsync($"/dev/mapper/{MapperName(Group)}-{MapperName(snapshotName)}-cow", bytes, cancellationToken).ConfigureAwait(false);
        await host.RunAsync(["lvremove", "-f", $"{Group}/{snapshotName}"], cancellationToken).ConfigureAwait(false);
        LogDeleted(Group, snapshotName);
    }

    public async Task<string?> PathOfAsync(string name, CancellationToken cancellationToken) =>
        await SizeOfAsync(name, cancellationToken).ConfigureAwait(false) is null ? null : PathFor(name);

    public async Task<VolumeBackendCapacity> GetCapacityAsync(CancellationToken cancellationToken)
    {
        var output = await host.RunAsync(["vgs", "--noheadings", "--units", "g", "-o", "vg_size,vg_free", "--nosuffix", Group], cancellationToken)
            .ConfigureAwait(false);
        var fields = output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 2
            && decimal.TryParse(fields[0], NumberStyles.Number, CultureInfo.InvariantCulture, out var size)
            && decimal.TryParse(fields[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var free)
                ? new VolumeBackendCapacity((long)decimal.Floor(size), (long)decimal.Floor(free))
                : throw new InvalidOperationException($"vgs printed no size and free space for {Group}: '{output.Trim()}'");
    }

    /// <summary>A new LV of <paramref name="sizeGb"/> with the source's data copied in (nova-volume's way: dd of the source's size).</summary>
    private async Task<string> CopyIntoNewAsync(string name, long sizeGb, string sourceName, CancellationToken cancellationToken)
    {
        var path = PathFor(name);
        if (await SizeOfAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            return path;
        }
        var bytes = await SizeOfAsync(sourceName, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"logical volume {Group}/{sourceName} does not exist");
        await host.RunAsync(["lvcreate", "-L", Gigabytes(sizeGb), "-n", name, Group], cancellationToken).ConfigureAwait(false);
        try
        {
            await host.RunAsync(["dd", $"if={PathFor(sourceName)}", $"of={path}", "bs=1M", $"count={Text(Mebibytes(bytes))}", "iflag=direct", "oflag=direct"],
                cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // A half-copied volume must not pass for a complete one when the message comes again.
            await host.TryAsync(["lvremove", "-f", $"{Group}/{name}"], CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        LogCopied(Group, sourceName, name);
        return path;
    }

    private async Task WipeAsync(string device, long bytes, CancellationToken cancellationToken)
    {
        var count = Mebibytes(VolumeWipe.Bytes(flags.Value, bytes));
        if (count == 0)
        {
            return;
        }
        await host.RunAsync(["dd", "if=/dev/zero", $"of={device}", "bs=1M", $"count={Text(count)}", "oflag=direct"], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The LV's size in bytes, or null when it does not exist.</summary>
    private async Task<long?> SizeOfAsync(string name, CancellationToken cancellationToken)
    {
        PathFor(name);
        var run = await host.TryAsync(["lvs", "--noheadings", "--units", "b", "--nosuffix", "-o", "lv_size", $"{Group}/{name}"], cancellationToken)
            .ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            return null;
        }
        return long.TryParse(run.Stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : throw new InvalidOperationException($"lvs printed no size for {Group}/{name}: '{run.Stdout.Trim()}'");
    }

    /// <summary>The LV's device; a name that is not a plain LVM name (or could reach outside the group) is refused.</summary>
    private string PathFor(string name) =>
        LvName().IsMatch(name) && name is not ("snapshot" or "pvmove")
            ? $"/dev/{Group}/{name}"
            : throw new ArgumentException($"not a volume or snapshot name: '{name}'", nameof(name));

    /// <summary>device-mapper's name for a VG or LV: each '-' doubled (the single '-' separates VG from LV).</summary>
    private static string MapperName(string name) => name.Replace("-", "--", StringComparison.Ordinal);

    private static string Gigabytes(long sizeGb) => $"{Text(Bytes(sizeGb) / GiB)}G";

    private static long Bytes(long sizeGb) =>
        sizeGb is > 0 and <= long.MaxValue / GiB ? sizeGb * GiB : throw new ArgumentOutOfRangeException(nameof(sizeGb), sizeGb, "a volume is 1 GiB or more");

    private static long Mebibytes(long bytes) => (bytes + MiB - 1) / MiB;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,120}$")]
    private static partial Regex LvName();

    [LoggerMessage(Level = LogLevel.Information, Message = "logical volume {Group}/{Name} wiped and removed")]
    private partial void LogDeleted(string group, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "logical volume {Group}/{Name} filled from {Source}")]
    private partial void LogCopied(string group, string source, string name);
}
