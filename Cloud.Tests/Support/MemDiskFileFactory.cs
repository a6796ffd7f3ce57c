using System.Collections.Concurrent;
using Cloud.Modules.Swift.Storage.DiskFile;

namespace Cloud.Tests.Support;

/// <summary>Test double: objects kept in memory (<see cref="MemDiskFile"/>), one store per factory, keyed by device, partition and hash.</summary>
public sealed class MemDiskFileFactory : IDiskFileFactory
{
    private readonly ConcurrentDictionary<string, MemDiskFile> _files = new(StringComparer.Ordinal);

    public IDiskFile Open(string devicePath, int partition, string hash) =>
        Open(devicePath, partition, hash, 0);

    public IDiskFile Open(string devicePath, int partition, string hash, int policyIndex) =>
        _files.GetOrAdd($"{devicePath}/{policyIndex}/{partition}/{hash}", key => new MemDiskFile(key));
}
