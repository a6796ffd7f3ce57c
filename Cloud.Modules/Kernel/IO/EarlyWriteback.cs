using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cloud.Modules.Kernel.IO;

/// <summary>
/// Starts the disk writing an upload's bytes while more of them arrive: every 16 MiB written, a background task asks
/// the kernel to begin writeback of that range (<c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>, which does not wait for
/// the disk). Without it a 1 GiB upload sat in the page cache (below the dirty limits nothing is written back for 30 s)
/// and the fsync at the end wrote all of it while the client waited: the upload took the transfer time plus the whole
/// disk time. With it, the final fsync (still the durability point, and still the one that reports errors) waits for
/// the last few MiB. Only a hint: a failure here is ignored, the fsync finds any real one.
/// </summary>
public sealed partial class EarlyWriteback(SafeFileHandle file)
{
    private const long Step = 16L << 20;
    private const uint SyncFileRangeWrite = 2;
    private long _written;
    private long _started;
    private Task _running = Task.CompletedTask;

    /// <summary>Counts <paramref name="bytes"/> more written; starts writeback of what is not started yet once 16 MiB are waiting.</summary>
    public void Advance(int bytes)
    {
        _written += bytes;
        if (_written - _started < Step || !_running.IsCompleted || !OperatingSystem.IsLinux())
        {
            return;
        }
        var (offset, count) = (_started, _written - _started);
        _started = _written;
        _running = Task.Run(() => Start(offset, count));
    }

    /// <summary>Waits for the writeback request in progress, so the file can be fsynced and closed.</summary>
    public Task WhenIdleAsync() => _running;

    private void Start(long offset, long count)
    {
        try
        {
            _ = FileDescriptors.Call(file, fd => sync_file_range(fd, offset, count, SyncFileRangeWrite));
        }
        catch (ObjectDisposedException)
        {
            // The upload failed and closed its file meanwhile: nothing to write back.
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sync_file_range(int fd, long offset, long nbytes, uint flags);
}
