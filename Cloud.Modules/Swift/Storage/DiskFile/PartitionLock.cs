using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// An exclusive lock on one partition directory (swift's lock_path on the partition), held across processes: the
/// object server invalidating a suffix and a <c>cloudd swift replicate --once</c> rehashing the partition take turns.
/// .NET takes an flock on a file opened with <see cref="FileShare.None"/>, which is what makes it work across processes.
/// </summary>
internal sealed class PartitionLock : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly FileStream _file;

    private PartitionLock(FileStream file) => _file = file;

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
            try
            {
                return new PartitionLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (DirectoryNotFoundException) when (DateTime.UtcNow < deadline)
            {
                // A new partition, or a replicator removed the emptied handoff partition meanwhile. Its entry made
                // durable like the hash directories' (FsDiskFile.Install): what is written under it is acknowledged.
                DirectorySync.FsyncParents(DirectorySync.CreateDirectory(partitionDirectory));
            }
            catch (IOException) when (DateTime.UtcNow < deadline && File.Exists(path))
            {
                Thread.Sleep(5);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
