using System.Collections.Concurrent;

namespace Cloud.Modules.Compute.Drivers.Fake;

/// <summary>
/// A TEST DOUBLE, not a hypervisor: keeps "domains" in memory so the scheduler, the compute manager and the
/// APIs can be tested and benchmarked with many simulated hosts. Chosen only by <c>--compute_driver=fake</c>,
/// never by default. Its capacity comes from the <c>fake_*</c> flags (<see cref="FakeDriverFlags"/>); with
/// <c>--fake_guests_file</c> its guests are kept in that file too (<see cref="FakeGuestsFile"/>), for fault tests.
/// </summary>
public sealed class FakeComputeDriver : IComputeDriver
{
    private readonly FakeDriverFlags _flags;
    private readonly FakeGuestsFile? _file;
    private readonly ConcurrentDictionary<string, InstanceInfo> _domains = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _uuids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<string>> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, VolumeDisk>> _volumes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (InstanceInfo Info, string Uuid)> _setAside = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _rescues = new(StringComparer.Ordinal);

    public FakeComputeDriver(FakeDriverFlags flags)
    {
        _flags = flags;
        if (string.IsNullOrEmpty(flags.GuestsFile))
        {
            return;
        }
        _file = new FakeGuestsFile(flags.GuestsFile);
        foreach (var guest in _file.Load())
        {
            _domains[guest.Name] = new InstanceInfo(guest.Name, guest.State, guest.MemoryMb, guest.Vcpus);
            _uuids[guest.Name] = guest.Uuid;
            _volumes[guest.Name] = new ConcurrentDictionary<string, VolumeDisk>(StringComparer.Ordinal);
        }
    }

    public event EventHandler<InstanceStateChange>? InstanceStateChanged;

    public string HypervisorType => "fake";

    public Task SpawnAsync(InstanceSpec instance, CancellationToken cancellationToken)
    {
        if (!_domains.TryAdd(instance.Name, new InstanceInfo(instance.Name, PowerState.Running, instance.MemoryMb, instance.Vcpus)))
        {
            throw new InvalidOperationException($"fake driver: domain {instance.Name} already exists");
        }
        _uuids[instance.Name] = instance.Uuid;
        _volumes[instance.Name] = new ConcurrentDictionary<string, VolumeDisk>((instance.Volumes ?? []).ToDictionary(v => v.Serial, StringComparer.Ordinal), StringComparer.Ordinal);
        Saved();
        return Task.CompletedTask;
    }

    public Task DestroyAsync(string name, CancellationToken cancellationToken)
    {
        _domains.TryRemove(name, out _);
        _uuids.TryRemove(name, out _);
        _devices.TryRemove(name, out _);
        _volumes.TryRemove(name, out _);
        _setAside.TryRemove(name, out _);
        _rescues.TryRemove(name, out _);
        Saved();
        return Task.CompletedTask;
    }

    public Task RebootAsync(string name, bool hard, CancellationToken cancellationToken) => SetStateAsync(name, PowerState.Running);

    public Task PowerOffAsync(string name, CancellationToken cancellationToken) => SetStateAsync(name, PowerState.Shutdown);

    public Task PowerOnAsync(string name, CancellationToken cancellationToken) => SetStateAsync(name, PowerState.Running);

    public Task PauseAsync(string name, CancellationToken cancellationToken) => ChangeStateAsync(name, PowerState.Running, PowerState.Paused);

    public Task UnpauseAsync(string name, CancellationToken cancellationToken) => ChangeStateAsync(name, PowerState.Paused, PowerState.Running);

    public Task SuspendAsync(string name, CancellationToken cancellationToken) =>
        ChangeStateAsync(name, StateOf(name) is PowerState.Paused ? PowerState.Paused : PowerState.Running, PowerState.Shutdown);

    public Task ResumeAsync(string name, CancellationToken cancellationToken) => ChangeStateAsync(name, PowerState.Shutdown, PowerState.Running);

    public Task RescueAsync(InstanceSpec instance, string rescueImageRef, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!_rescues.TryAdd(instance.Name, rescueImageRef))
        {
            throw new InvalidOperationException($"fake driver: domain {instance.Name} is already rescued");
        }
        return SetStateAsync(instance.Name, PowerState.Running);
    }

    public Task UnrescueAsync(string name, CancellationToken cancellationToken) =>
        _rescues.TryRemove(name, out _) ? SetStateAsync(name, PowerState.Running) : throw new InvalidOperationException($"fake driver: domain {name} is not rescued");

    /// <summary>The image a rescued domain boots from, or null when it is not rescued, for tests.</summary>
    public string? RescueImageOf(string name) => _rescues.TryGetValue(name, out var image) ? image : null;

    public Task<InstanceInfo?> GetInfoAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_domains.TryGetValue(name, out var info) ? info : null);

    public Task<string> GetConsoleOutputAsync(string name, CancellationToken cancellationToken) =>
        _domains.ContainsKey(name)
            ? Task.FromResult($"FAKE CONSOLE OUTPUT of {name}\nfake driver: no real guest behind this domain\n")
            : throw NotFound(name);

    public Task<IReadOnlyList<string>> ListInstancesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. _domains.Keys.Order(StringComparer.Ordinal)]);

    public Task<HostCapacity> GetHostCapacityAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new HostCapacity(_flags.Vcpus, _flags.MemoryMb, _flags.LocalGb, _domains.Values.Count(d => d.State == PowerState.Running)));

    public Task AttachDeviceAsync(string name, string deviceXml, CancellationToken cancellationToken)
    {
        var devices = _domains.ContainsKey(name) ? _devices.GetOrAdd(name, _ => []) : throw NotFound(name);
        lock (devices)
        {
            devices.Add(deviceXml);
        }
        return Task.CompletedTask;
    }

    public Task DetachDeviceAsync(string name, string deviceXml, CancellationToken cancellationToken)
    {
        var devices = _domains.ContainsKey(name) ? _devices.GetOrAdd(name, _ => []) : throw NotFound(name);
        lock (devices)
        {
            return devices.Remove(deviceXml) ? Task.CompletedTask : throw new InvalidOperationException($"fake driver: domain {name} has no such device");
        }
    }

    public Task AttachVolumeAsync(string name, VolumeDisk disk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(disk);
        (_volumes.TryGetValue(name, out var volumes) ? volumes : throw NotFound(name)).TryAdd(disk.Serial, disk);
        return Task.CompletedTask;
    }

    public Task DetachVolumeAsync(string name, string volumeUuid, CancellationToken cancellationToken)
    {
        (_volumes.TryGetValue(name, out var volumes) ? volumes : throw NotFound(name)).TryRemove(volumeUuid, out _);
        return Task.CompletedTask;
    }

    public Task EnsureVolumeConnectedAsync(VolumeDisk disk, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Writes a stand-in image: the qcow2 magic, then which domain it was taken of (there is no disk to copy).</summary>
    public async Task<string> SnapshotAsync(string name, string destination, CancellationToken cancellationToken)
    {
        if (!_domains.ContainsKey(name))
        {
            throw NotFound(name);
        }
        await File.WriteAllTextAsync(destination, $"QFI\u00fb fake snapshot of {name}\n", cancellationToken).ConfigureAwait(false);
        return "qcow2";
    }

    public Task MigrateDiskAndPowerOffAsync(string name, CancellationToken cancellationToken)
    {
        if (!_domains.TryRemove(name, out var info))
        {
            throw NotFound(name);
        }
        _uuids.TryRemove(name, out var uuid);
        _setAside[name] = (info with { State = PowerState.Shutdown }, uuid ?? "");
        Saved();
        return Task.CompletedTask;
    }

    /// <summary>A fake host "copies" the disk from anywhere, so a resize may go to another fake host.</summary>
    public Task FinishMigrationAsync(InstanceSpec instance, bool powerOn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        _domains[instance.Name] = new InstanceInfo(instance.Name, powerOn ? PowerState.Running : PowerState.Shutdown, instance.MemoryMb, instance.Vcpus);
        _uuids[instance.Name] = instance.Uuid;
        _volumes.TryAdd(instance.Name, new ConcurrentDictionary<string, VolumeDisk>(StringComparer.Ordinal));
        Saved();
        return Task.CompletedTask;
    }

    public Task ConfirmMigrationAsync(string name, CancellationToken cancellationToken)
    {
        _setAside.TryRemove(name, out _);
        return Task.CompletedTask;
    }

    public Task FinishRevertMigrationAsync(string name, bool powerOn, CancellationToken cancellationToken)
    {
        if (!_setAside.TryRemove(name, out var aside))
        {
            throw new InvalidOperationException($"fake driver: nothing of {name} was set aside to revert to");
        }
        _domains[name] = aside.Info with { State = powerOn ? PowerState.Running : PowerState.Shutdown };
        _uuids[name] = aside.Uuid;
        Saved();
        return Task.CompletedTask;
    }

    /// <summary>The volumes a domain has, by target dev, for tests.</summary>
    public IReadOnlyList<VolumeDisk> VolumesOf(string name) =>
        _volumes.TryGetValue(name, out var volumes) ? [.. volumes.Values.OrderBy(v => v.TargetDev, StringComparer.Ordinal)] : [];

    /// <summary>The device XML attached to a domain, for tests.</summary>
    public IReadOnlyList<string> DevicesOf(string name)
    {
        if (!_devices.TryGetValue(name, out var devices))
        {
            return [];
        }
        lock (devices)
        {
            return [.. devices];
        }
    }

    /// <summary>Simulates the guest changing state on its own (a guest that powers itself off), for sync tests; <paramref name="notify"/> raises the event a real hypervisor would.</summary>
    public void SimulateGuestState(string name, PowerState state, bool notify = false)
    {
        _ = SetStateAsync(name, state);
        if (notify && _uuids.TryGetValue(name, out var uuid))
        {
            InstanceStateChanged?.Invoke(this, new InstanceStateChange(uuid, state));
        }
    }

    private PowerState? StateOf(string name) => _domains.TryGetValue(name, out var info) ? info.State : null;

    /// <summary>A state change the hypervisor makes only from <paramref name="from"/> (libvirt refuses to pause a paused domain, ...).</summary>
    private Task ChangeStateAsync(string name, PowerState from, PowerState to)
    {
        var state = StateOf(name) ?? throw NotFound(name);
        return state == from ? SetStateAsync(name, to) : throw new InvalidOperationException($"fake driver: domain {name} is {state}, not {from}");
    }

    private Task SetStateAsync(string name, PowerState state)
    {
        if (!_domains.TryGetValue(name, out var info))
        {
            throw NotFound(name);
        }
        _domains[name] = info with { State = state };
        Saved();
        return Task.CompletedTask;
    }

    /// <summary>Writes the guests to <c>--fake_guests_file</c>, when there is one.</summary>
    private void Saved() =>
        _file?.Save(() => _domains.Values.Select(d => new FakeGuestsFile.Guest(d.Name, _uuids.GetValueOrDefault(d.Name, ""), d.State, d.MemoryMb, d.Vcpus)));

    private static InvalidOperationException NotFound(string name) => new($"fake driver: no domain {name}");
}
