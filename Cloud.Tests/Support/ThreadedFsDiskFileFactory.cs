using Cloud.Modules.Swift.Storage;
using Cloud.Modules.Swift.Storage.DiskFile;

namespace Cloud.Tests.Support;

/// <summary>The files in swift's layout with the devices' threads the object server gives them (directory fsyncs at once).</summary>
public sealed class ThreadedFsDiskFileFactory : IDiskFileFactory
{
    // One set for every test: its threads are background threads, and a set per test would leave threads behind.
    private static readonly DiskThreads Threads = new(new SwiftStorageFlags { SwiftThreadsPerDisk = 2 });

    private readonly FsDiskFileFactory _files = new(Threads);

    public IDiskFile Open(string devicePath, int partition, string hash) => _files.Open(devicePath, partition, hash);

    public IDiskFile Open(string devicePath, int partition, string hash, int policyIndex) => _files.Open(devicePath, partition, hash, policyIndex);
}
