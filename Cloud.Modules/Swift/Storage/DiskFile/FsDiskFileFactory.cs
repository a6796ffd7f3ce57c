namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>Objects as files in swift's on-disk layout (<see cref="FsDiskFile"/>): what the object server stores on.</summary>
public sealed class FsDiskFileFactory : IDiskFileFactory
{
    public IDiskFile Open(string devicePath, int partition, string hash) => new FsDiskFile(devicePath, partition, hash);

    public IDiskFile Open(string devicePath, int partition, string hash, int policyIndex) =>
        new FsDiskFile(devicePath, partition, hash, Common.SwiftStoragePolicies.DataDirectory(policyIndex));
}
