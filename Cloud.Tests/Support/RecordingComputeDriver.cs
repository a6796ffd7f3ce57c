using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Fake;

namespace Cloud.Tests.Support;

/// <summary>The fake driver, recording what each spawn was given and failing spawns on request.</summary>
public sealed class RecordingComputeDriver(FakeComputeDriver inner) : IComputeDriver
{
    public List<InstanceSpec> Spawned { get; } = [];

    private Exception? _failNextSpawn;

    /// <summary>When set, the next spawn (only) throws this, e.g. a transient failure a new delivery must get past.</summary>
    public Exception? FailNextSpawn
    {
        get => _failNextSpawn;
        set => _failNextSpawn = value;
    }

    /// <summary>When set, every spawn fails with this message (as a hypervisor error would).</summary>
    public string? FailSpawnWith { get; set; }

    public string HypervisorType => inner.HypervisorType;

    public event EventHandler<InstanceStateChange>? InstanceStateChanged
    {
        add => inner.InstanceStateChanged += value;
        remove => inner.InstanceStateChanged -= value;
    }

    public Task AttachDeviceAsync(string name, string deviceXml, CancellationToken cancellationToken) => inner.AttachDeviceAsync(name, deviceXml, cancellationToken);

    public Task DetachDeviceAsync(string name, string deviceXml, CancellationToken cancellationToken) => inner.DetachDeviceAsync(name, deviceXml, cancellationToken);

    /// <summary>When set, every volume attach fails with this message (as libvirt refusing the disk would).</summary>
    public string? FailVolumeAttachWith { get; set; }

    public Task AttachVolumeAsync(string name, VolumeDisk disk, CancellationToken cancellationToken) =>
        FailVolumeAttachWith is { } message ? throw new InvalidOperationException(message) : inner.AttachVolumeAsync(name, disk, cancellationToken);

    public Task DetachVolumeAsync(string name, string volumeUuid, CancellationToken cancellationToken) => inner.DetachVolumeAsync(name, volumeUuid, cancellationToken);

    /// <summary>The volumes the domain has (the fake driver's view).</summary>
    public IReadOnlyList<VolumeDisk> VolumesOf(string name) => inner.VolumesOf(name);

    public Task EnsureVolumeConnectedAsync(VolumeDisk disk, CancellationToken cancellationToken) => inner.EnsureVolumeConnectedAsync(disk, cancellationToken);

    public Task SpawnAsync(InstanceSpec instance, CancellationToken cancellationToken)
    {
        lock (Spawned)
        {
            Spawned.Add(instance);
        }
        if (Interlocked.Exchange(ref _failNextSpawn, null) is { } once)
        {
            throw once;
        }
        if (FailSpawnWith is { } message)
        {
            throw new InvalidOperationException(message);
        }
        return HoldSpawns is { } hold ? SpawnWhenReleasedAsync(hold.Task, instance, cancellationToken) : inner.SpawnAsync(instance, cancellationToken);
    }

    /// <summary>When set, spawns wait until it completes: a test holds a build half-way to deliver something meanwhile.</summary>
    public TaskCompletionSource? HoldSpawns { get; set; }

    private async Task SpawnWhenReleasedAsync(Task released, InstanceSpec instance, CancellationToken cancellationToken)
    {
        await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        await inner.SpawnAsync(instance, cancellationToken).ConfigureAwait(false);
    }

    public Task DestroyAsync(string name, CancellationToken cancellationToken) => inner.DestroyAsync(name, cancellationToken);

    public Task RebootAsync(string name, bool hard, CancellationToken cancellationToken) => inner.RebootAsync(name, hard, cancellationToken);

    public Task PowerOffAsync(string name, CancellationToken cancellationToken) => inner.PowerOffAsync(name, cancellationToken);

    public Task PowerOnAsync(string name, CancellationToken cancellationToken) => inner.PowerOnAsync(name, cancellationToken);

    public Task<string> SnapshotAsync(string name, string destination, CancellationToken cancellationToken) => inner.SnapshotAsync(name, destination, cancellationToken);

    public Task MigrateDiskAndPowerOffAsync(string name, CancellationToken cancellationToken) => inner.MigrateDiskAndPowerOffAsync(name, cancellationToken);

    public Task FinishMigrationAsync(InstanceSpec instance, bool powerOn, CancellationToken cancellationToken) => inner.FinishMigrationAsync(instance, powerOn, cancellationToken);

    public Task ConfirmMigrationAsync(string name, CancellationToken cancellationToken) => inner.ConfirmMigrationAsync(name, cancellationToken);

    public Task FinishRevertMigrationAsync(string name, bool powerOn, CancellationToken cancellationToken) => inner.FinishRevertMigrationAsync(name, powerOn, cancellationToken);

    public Task PauseAsync(string name, CancellationToken cancellationToken) => inner.PauseAsync(name, cancellationToken);

    public Task UnpauseAsync(string name, CancellationToken cancellationToken) => inner.UnpauseAsync(name, cancellationToken);

    public Task SuspendAsync(string name, CancellationToken cancellationToken) => inner.SuspendAsync(name, cancellationToken);

    public Task ResumeAsync(string name, CancellationToken cancellationToken) => inner.ResumeAsync(name, cancellationToken);

    public Task RescueAsync(InstanceSpec instance, string rescueImageRef, CancellationToken cancellationToken) => inner.RescueAsync(instance, rescueImageRef, cancellationToken);

    public Task UnrescueAsync(string name, CancellationToken cancellationToken) => inner.UnrescueAsync(name, cancellationToken);

    public Task<InstanceInfo?> GetInfoAsync(string name, CancellationToken cancellationToken) => inner.GetInfoAsync(name, cancellationToken);

    public Task<string> GetConsoleOutputAsync(string name, CancellationToken cancellationToken) => inner.GetConsoleOutputAsync(name, cancellationToken);

    public Task<IReadOnlyList<string>> ListInstancesAsync(CancellationToken cancellationToken) => inner.ListInstancesAsync(cancellationToken);

    public Task<HostCapacity> GetHostCapacityAsync(CancellationToken cancellationToken) => inner.GetHostCapacityAsync(cancellationToken);
}
