using System.Text.RegularExpressions;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Volume.Drivers;

/// <summary>
/// Volumes as sparse raw files in <c>--volumes_dir</c> (default <c>$state_path/volumes</c>), for hosts without
/// device-mapper: a volume is <c>volumes_dir/volume-0000000a</c>, a snapshot <c>volumes_dir/snapshot-00000003</c>, both
/// exported by tgt straight from the file. No <c>losetup</c>: tgt serves files itself, so a loop device would add a
/// second page cache and a machine-wide limit (loop0–7 here) and buy nothing. Copies (snapshot, clone, from snapshot)
/// are written under a temporary name and renamed, so a crash never leaves a half-copied volume under its real name,
/// and they copy only the source's data ranges, so they stay sparse. Deleting wipes the data (<c>--volume_clear</c>)
/// before unlinking, because the blocks go back to the filesystem, and from it to the next tenant's files.
/// </summary>
public sealed partial class FileVolumeDriver(IOptions<VolumeFlags> flags, IOptions<CommonFlags> common, ILogger<FileVolumeDriver> log) : IVolumeDriver
{
    private const long GiB = 1L << 30;
    private const long MiB = 1L << 20;
    private const int CopyBlock = 1 << 20;
    private const string PartialSuffix = ".partial";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The directory of the volume files.</summary>
    public string VolumesDirectory => flags.Value.VolumesDir is { Length: > 0 } dir ? dir : Path.Combine(common.Value.StatePath, "volumes");

    public Task CheckSetupAsync(CancellationToken cancellationToken)
    {
        VolumeWipe.Check(flags.Value);
        var probe = Path.Combine(VolumesDirectory, $".setup-check-{Environment.ProcessId}");
        try
        {
            EnsureDirectory();
            using var file = new FileStream(probe, OwnerOnlyNewFile());
            file.SetLength(64 * MiB);
            if (!FileExtents.HasOnlyHoles(file.SafeFileHandle))
            {
                throw new InvalidOperationException(
                    $"--volumes_dir {VolumesDirectory} is on a filesystem without sparse files: every volume would take its full size at once");
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InvalidOperationException($"--volumes_dir {VolumesDirectory} is not writable: {e.Message}", e);
        }
        finally
        {
            if (File.Exists(probe))
            {
                File.Delete(probe);
            }
        }
        return Task.CompletedTask;
    }

    public Task<string> CreateVolumeAsync(string name, long sizeGb, CancellationToken cancellationToken)
    {
        var path = PathFor(name);
        var bytes = Bytes(sizeGb);
        if (!File.Exists(path))
        {
            // A new file of that length is all hole: it reads as zeros and takes no space until written.
            using var file = NewFile(path + PartialSuffix);
            file.SetLength(bytes);
            file.Flush(flushToDisk: true);
        }
        return Task.FromResult(Publish(path, bytes));
    }

    public Task<string> CreateVolumeFromSnapshotAsync(string name, long sizeGb, string snapshotName, CancellationToken cancellationToken) =>
        CopyAsync(snapshotName, name, Bytes(sizeGb), cancellationToken);

    public Task<string> CloneVolumeAsync(string name, long sizeGb, string sourceName, CancellationToken cancellationToken) =>
        CopyAsync(sourceName, name, Bytes(sizeGb), cancellationToken);

    public async Task DeleteVolumeAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathFor(name);
        var found = false;
        // A copy a crash interrupted holds tenant data too.
        foreach (var file in new[] { path + PartialSuffix, path }.Where(File.Exists))
        {
            await WipeAsync(file, cancellationToken).ConfigureAwait(false);
            File.Delete(file);
            found = true;
        }
        if (found)
        {
            DirectorySync.Fsync(VolumesDirectory);
            LogDeleted(name);
        }
    }

    public Task ExtendVolumeAsync(string name, long newSizeGb, CancellationToken cancellationToken)
    {
        var path = Existing(name);
        Grow(path, Bytes(newSizeGb));
        return Task.CompletedTask;
    }

    public Task CreateSnapshotAsync(string volumeName, string snapshotName, CancellationToken cancellationToken) =>
        CopyAsync(volumeName, snapshotName, 0, cancellationToken);

    public Task DeleteSnapshotAsync(string snapshotName, CancellationToken cancellationToken) => DeleteVolumeAsync(snapshotName, cancellationToken);

    public Task<string?> PathOfAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathFor(name);
        return Task.FromResult(File.Exists(path) ? path : null);
    }

    public Task<VolumeBackendCapacity> GetCapacityAsync(CancellationToken cancellationToken)
    {
        // statvfs of the directory; the space a non-root writer may still use.
        var drive = new DriveInfo(EnsureDirectory());
        return Task.FromResult(new VolumeBackendCapacity(drive.TotalSize / GiB, drive.AvailableFreeSpace / GiB));
    }

    /// <summary>
    /// Copies the source's data into a new file grown to <paramref name="minimumBytes"/>. The source is flushed first, so the
    /// copy holds everything written to it so far (a point-in-time copy of a volume nothing writes to meanwhile).
    /// </summary>
    private async Task<string> CopyAsync(string sourceName, string name, long minimumBytes, CancellationToken cancellationToken)
    {
        var path = PathFor(name);
        if (File.Exists(path))
        {
            return Publish(path, minimumBytes);
        }
        var sourcePath = Existing(sourceName);
        using (var source = new FileStream(sourcePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        using (var target = NewFile(path + PartialSuffix))
        {
            source.Flush(flushToDisk: true);
            var length = source.Length;
            target.SetLength(length);
            var buffer = new byte[CopyBlock];
            foreach (var (offset, count) in FileExtents.DataRanges(source.SafeFileHandle))
            {
                for (var done = 0L; done < count; )
                {
                    var read = await RandomAccess.ReadAsync(source.SafeFileHandle, buffer.AsMemory(0, (int)Math.Min(CopyBlock, count - done)), offset + done, cancellationToken)
                        .ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }
                    // Zeros inside a data range stay holes in the copy.
                    if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
                    {
                        await RandomAccess.WriteAsync(target.SafeFileHandle, buffer.AsMemory(0, read), offset + done, cancellationToken).ConfigureAwait(false);
                    }
                    done += read;
                }
            }
            target.Flush(flushToDisk: true);
        }
        var published = Publish(path, minimumBytes);
        LogCopied(sourceName, name);
        return published;
    }

    /// <summary>Overwrites the file's data with zeros (<c>--volume_clear</c>, the first <c>--volume_clear_size</c> MiB or all), then flushes it.</summary>
    private async Task WipeAsync(string path, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var limit = VolumeWipe.Bytes(flags.Value, file.Length);
        if (limit == 0)
        {
            return;
        }
        var zeros = new byte[CopyBlock];
        // Holes hold no old data: only the written ranges are overwritten.
        foreach (var (offset, count) in FileExtents.DataRanges(file.SafeFileHandle))
        {
            for (var at = offset; at < Math.Min(offset + count, limit); at += CopyBlock)
            {
                var length = (int)Math.Min(CopyBlock, Math.Min(offset + count, limit) - at);
                await RandomAccess.WriteAsync(file.SafeFileHandle, zeros.AsMemory(0, length), at, cancellationToken).ConfigureAwait(false);
            }
        }
        file.Flush(flushToDisk: true);
    }

    /// <summary>Grows the partial file (if any) or the existing one to at least <paramref name="bytes"/>, then gives it its real name.</summary>
    private string Publish(string path, long bytes)
    {
        var partial = path + PartialSuffix;
        if (File.Exists(partial))
        {
            Grow(partial, bytes);
            File.Move(partial, path, overwrite: false);
            DirectorySync.Fsync(VolumesDirectory);
        }
        else
        {
            Grow(path, bytes);
        }
        return path;
    }

    private static void Grow(string path, long bytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        if (file.Length < bytes)
        {
            file.SetLength(bytes);
            file.Flush(flushToDisk: true);
        }
    }

    private FileStream NewFile(string path)
    {
        EnsureDirectory();
        return new FileStream(path, OwnerOnlyNewFile());
    }

    /// <summary>Volume files hold tenants' data: only their owner (root, which tgtd runs as) may open them.</summary>
    private static FileStreamOptions OwnerOnlyNewFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        return options;
    }

    private string EnsureDirectory() =>
        OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(VolumesDirectory).FullName
            : Directory.CreateDirectory(VolumesDirectory, OwnerOnly | UnixFileMode.UserExecute).FullName;

    private string Existing(string name)
    {
        var path = PathFor(name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"volume file {name} does not exist in {VolumesDirectory}", path);
    }

    /// <summary>The file of a backing name; a name that could leave the directory (or hide in it) is refused.</summary>
    private string PathFor(string name) =>
        BackingName().IsMatch(name) ? Path.Combine(VolumesDirectory, name) : throw new ArgumentException($"not a volume or snapshot name: '{name}'", nameof(name));

    private static long Bytes(long sizeGb) =>
        sizeGb is > 0 and <= long.MaxValue / GiB ? sizeGb * GiB : throw new ArgumentOutOfRangeException(nameof(sizeGb), sizeGb, "a volume is 1 GiB or more");

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,200}$")]
    private static partial Regex BackingName();

    [LoggerMessage(Level = LogLevel.Information, Message = "volume file {Name} wiped and deleted")]
    private partial void LogDeleted(string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume file {Name} copied from {Source}")]
    private partial void LogCopied(string source, string name);
}
