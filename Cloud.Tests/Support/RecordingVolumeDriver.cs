using System.Collections.Concurrent;
using Cloud.Modules.Volume.Drivers;

namespace Cloud.Tests.Support;

/// <summary>
/// A test double of the backing store (never a default of cloudd): keeps volume names in memory, records each call as
/// "method name", and throws for a call <see cref="FailOn"/> names.
/// </summary>
public sealed class RecordingVolumeDriver : IVolumeDriver
{
    private readonly ConcurrentDictionary<string, long> _volumes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _calls = new();

    public IReadOnlyList<string> Calls => [.. _calls];

    public IReadOnlyCollection<string> Volumes => [.. _volumes.Keys];

    /// <summary>The method to fail ("CreateVolume", "DeleteVolume", ...); null = none.</summary>
    public string? FailOn { get; set; }

    public Task CheckSetupAsync(CancellationToken cancellationToken) => Record("CheckSetup", "-");

    public async Task<string> CreateVolumeAsync(string name, long sizeGb, CancellationToken cancellationToken)
    {
        await Record("CreateVolume", name);
        _volumes[name] = sizeGb;
        return $"/fake/{name}";
    }

    public async Task<string> CreateVolumeFromSnapshotAsync(string name, long sizeGb, string snapshotName, CancellationToken cancellationToken)
    {
        await Record("CreateVolumeFromSnapshot", name);
        _volumes[name] = sizeGb;
        return $"/fake/{name}";
    }

    public async Task<string> CloneVolumeAsync(string name, long sizeGb, string sourceName, CancellationToken cancellationToken)
    {
        await Record("CloneVolume", name);
        _volumes[name] = sizeGb;
        return $"/fake/{name}";
    }

    public async Task DeleteVolumeAsync(string name, CancellationToken cancellationToken)
    {
        await Record("DeleteVolume", name);
        _volumes.TryRemove(name, out _);
    }

    public async Task ExtendVolumeAsync(string name, long newSizeGb, CancellationToken cancellationToken)
    {
        await Record("ExtendVolume", name);
        _volumes[name] = newSizeGb;
    }

    public async Task CreateSnapshotAsync(string volumeName, string snapshotName, CancellationToken cancellationToken)
    {
        await Record("CreateSnapshot", snapshotName);
        _volumes[snapshotName] = _volumes.GetValueOrDefault(volumeName);
    }

    public async Task DeleteSnapshotAsync(string snapshotName, CancellationToken cancellationToken)
    {
        await Record("DeleteSnapshot", snapshotName);
        _volumes.TryRemove(snapshotName, out _);
    }

    public Task<string?> PathOfAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_volumes.ContainsKey(name) ? $"/fake/{name}" : null);

    public Task<VolumeBackendCapacity> GetCapacityAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new VolumeBackendCapacity(100, 100 - _volumes.Values.Sum()));

    private Task Record(string method, string name)
    {
        _calls.Enqueue($"{method} {name}");
        return FailOn == method ? throw new InvalidOperationException($"{method} {name} failed (test)") : Task.CompletedTask;
    }
}
