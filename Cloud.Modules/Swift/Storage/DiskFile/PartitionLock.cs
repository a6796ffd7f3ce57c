using Cloud.Modules.Kernel.IO;
using Microsoft.Win32.SafeHandles;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// An exclusive lock on one partition directory (swift's lock_path on the partition), held across processes: the
/// object server invalidating a suffix and a <c>cloudd swift replicate --once</c> rehashing the partition take turns.
/// An flock (<see cref="PosixFiles.TryLockExclusive"/>) on <c>.lock</c>, which is what makes it work across processes;
/// taken straight rather than through a FileStream opened with <see cref="FileShare.None"/>, whose open spent an fstatfs
/// and a seek besides on each of a PUT's three replica writes.
/// </summary>
internal sealed class PartitionLock : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly SafeFileHandle _file;

    private PartitionLock(SafeFileHandle file) => _file = file;

    /// <summary>Waits for the lock of <paramref name="partitionDirectory"/>, creating the directory if needed.</summary>
    /// <exception cref="IOException">Another holder kept it past the patience (30 s).</exception>
    public static PartitionLock Acquire(string partitionDirectory)
    {
        // The directory is made only when missing: every object write takes this lock, and a mkdir that finds the
        // directory there costs a failed mkdir and a stat.
        var path = Path.Combine(partitionDirectory, ".lock");
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            SafeFileHandle file;
            try
            {
                file = PosixFiles.OpenOrCreate(path);
            }
            catch (DirectoryNotFoundException) when (DateTime.UtcNow < deadline)
            {
                // A new partition, or a replicator removed the emptied handoff partition meanwhile. Its entry made
                // durable like the hash directories' (FsDiskFile.Install): what is written under it is acknowledged.
                DirectorySync.FsyncParents(DirectorySync.CreateDirectory(partitionDirectory));
                continue;
            }
            if (PosixFiles.TryLockExclusive(file, path))
            {
                return new PartitionLock(file);
            }
            // Closed and opened afresh each time: a holder removing the partition leaves this name unlinked.
            file.Dispose();
            if (DateTime.UtcNow >= deadline)
            {
                throw new IOException($"The lock of {partitionDirectory} was held for more than {Patience.TotalSeconds} s.");
            }
            Thread.Sleep(5);
        }
    }

    public void Dispose() => _file.Dispose();
}
