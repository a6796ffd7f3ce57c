namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>Objects as files in swift's layout (<see cref="FsDiskFile"/>): what the object server stores on.</summary>
public sealed class FsDiskFileFactory : IDiskFileFactory
{
    private readonly DiskThreads? _threads;

    /// <summary>Files whose writes fsync their directories one after another (<c>cloudd swift ... --once</c>, tests).</summary>
    public FsDiskFileFactory()
    {
    }

    /// <summary>Files whose writes fsync their directories at once on the device's threads (the storage role).</summary>
    public FsDiskFileFactory(DiskThreads threads) => _threads = threads;

    public IDiskFile Open(string devicePath, int partition, string hash) => new FsDiskFile(devicePath, partition, hash, threads: _threads?.For(devicePath));

    public IDiskFile Open(string devicePath, int partition, string hash, int policyIndex) =>
        new FsDiskFile(devicePath, partition, hash, Common.SwiftStoragePolicies.DataDirectory(policyIndex), _threads?.For(devicePath));
}
