using System.Collections.Concurrent;
using Cloud.Modules.Compute.Db;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Firewall;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.DiskImages;
using Cloud.Modules.Kernel.Reliability;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Network;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute;

/// <summary>
/// nova-compute's manager on <c>compute.&lt;host&gt;</c>: owns the state of the instances on this host and drives
/// the hypervisor through <see cref="IComputeDriver"/>. Reports the host's capacity with each heartbeat and
/// syncs power states with the hypervisor every periodic_interval. With <see cref="InstanceNetworkingApi"/> (every driver but
/// the fake one), an instance gets its fixed IP from the network role before it spawns and gives it back when it goes;
/// with <see cref="FirewallManager"/> (the same), its security group chains are in place before its guest starts; with
/// <see cref="InstanceVolumes"/>, its volumes are connected before it boots, hot attached and detached, and given back when it goes;
/// rebuild, resize, snapshot and shelve are <see cref="InstanceMoveManager"/>'s; with <see cref="GuestReconciler"/>, guests no live
/// instance owns are dealt with and builds whose launch was never recorded are adopted.
/// </summary>
public sealed partial class ComputeManager(
    IComputeDriver driver,
    InstanceStore store,
    ComputeNodeApi nodes,
    IOptions<CommonFlags> flags,
    ILogger<ComputeManager> log,
    InstanceNetworkingApi? networking = null,
    FirewallManager? firewall = null,
    InstanceVolumes? volumes = null,
    InstanceActionsApi? actions = null,
    GuestStateActions? guestStates = null,
    InstanceMoveManager? moves = null,
    GuestReconciler? guests = null) : IRpcEndpoint, IPeriodicTasks, IReportsState
{
    private readonly PowerStateSync _power = new(driver, store, log);
    private readonly InstanceTeardown _teardown = new(log, networking, firewall);
    // Instances this host is building now: a run_instance delivered again meanwhile is dropped.
    private readonly ConcurrentDictionary<string, byte> _building = new(StringComparer.Ordinal);

    private int _listening;

    private string Host => flags.Value.Host;

    public async Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case RunInstance m: await RunInstanceAsync(context, m.InstanceUuid, cancellationToken).ConfigureAwait(false); return null;
            case TerminateInstance m: await TerminateInstanceAsync(context, m.InstanceUuid, cancellationToken).ConfigureAwait(false); return null;
            case AttachVolume m:
                await VolumeActionAsync(context, m.InstanceUuid, "attach_volume", (v, i) => v.AttachAsync(context, i, m.VolumeUuid, m.Device, cancellationToken), cancellationToken).ConfigureAwait(false);
                return null;
            case DetachVolume m:
                await VolumeActionAsync(context, m.InstanceUuid, "detach_volume", (v, i) => v.DetachAsync(context, i, m.VolumeUuid, cancellationToken), cancellationToken).ConfigureAwait(false);
                return null;
            case RebootInstance m:
                await ActAsync(context, m.InstanceUuid, "reboot", (i, ct) => driver.RebootAsync(i.Name, m.Hard, ct), VmStates.Active, cancellationToken).ConfigureAwait(false);
                return null;
            case StopInstance m:
                await ActAsync(context, m.InstanceUuid, "stop", (i, ct) => driver.PowerOffAsync(i.Name, ct), VmStates.Stopped, cancellationToken).ConfigureAwait(false);
                return null;
            case StartInstance m:
                await ActAsync(context, m.InstanceUuid, "start", (i, ct) => driver.PowerOnAsync(i.Name, ct), VmStates.Active, cancellationToken).ConfigureAwait(false);
                return null;
            case PauseInstance or UnpauseInstance or SuspendInstance or ResumeInstance or RescueInstance or UnrescueInstance:
                await (guestStates ?? throw new UnknownRpcMethodException(message)).DispatchAsync(context, message, cancellationToken).ConfigureAwait(false);
                return null;
            case GetConsoleOutput m:
                // No guest here yet (still spawning) or any more (deleted, moved): no output, which the API answers
                // with Nova's 404; the driver's own "no domain" error would reach the user as a 500.
                var instance = await MineAsync(m.InstanceUuid, cancellationToken).ConfigureAwait(false);
                return instance is null || await driver.GetInfoAsync(instance.Name, cancellationToken).ConfigureAwait(false) is null
                    ? new ConsoleOutput(null)
                    : new ConsoleOutput(await driver.GetConsoleOutputAsync(instance.Name, cancellationToken).ConfigureAwait(false));
            case IInstanceMoveMessage m:
                await (moves ?? throw new UnknownRpcMethodException(message)).DispatchAsync(context, m, cancellationToken).ConfigureAwait(false);
                return null;
            case RefreshSecurityGroupRules or RefreshSecurityGroupMembers or RefreshInstanceSecurityRules:
                await (firewall?.RefreshAsync(message, cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
                return null;
            default:
                throw new UnknownRpcMethodException(message);
        }
    }

    /// <summary>Runs when the service starts and on every heartbeat; the first call also starts listening to the driver's domain events.</summary>
    public async Task ReportStateAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _listening, 1) == 0)
        {
            driver.InstanceStateChanged += (_, change) => _ = OnInstanceStateChangedAsync(change);
        }
        await nodes.ReportAsync(Host, driver.HypervisorType, await driver.GetHostCapacityAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every periodic_interval: the guests no live instance owns and the builds whose launch was never recorded, when
    /// <see cref="GuestReconciler"/>'s poll interval is due; then the power-state sync (<see cref="PowerStateSync"/>).
    /// </summary>
    public async Task RunPeriodicTasksAsync(CancellationToken cancellationToken)
    {
        await (firewall?.EnsureSyncedAsync(cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
        await (guests?.RunIfDueAsync(cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
        await _power.SyncHostAsync(Host, cancellationToken).ConfigureAwait(false);
        if (networking is not null)
        {
            await networking.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        await (moves?.RunPeriodicTasksAsync(cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
    }

    /// <summary>A domain event says an instance changed state: sync it now (with the state the hypervisor has now, so events handled out of order do no harm).</summary>
    private async Task OnInstanceStateChangedAsync(InstanceStateChange change)
    {
        try
        {
            var instance = await store.FindAsync(change.Uuid, CancellationToken.None).ConfigureAwait(false);
            if (instance is not null && !instance.Deleted && instance.Host == Host)
            {
                await SyncPowerStateAsync(instance, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            LogEventFailed(e, change.Uuid, change.State);
        }
    }

    private Task SyncPowerStateAsync(Instance instance, CancellationToken cancellationToken) => _power.SyncAsync(instance, cancellationToken);

    /// <summary>
    /// run_instance, safe to deliver more than once: a duplicate that arrives while this host builds the instance is
    /// dropped, and only an instance of this host still building (see <see cref="InstanceStore.BeginBuildAsync"/>) is
    /// built, so a late one cannot start a deleted, failed or running instance. A build a transient failure interrupted
    /// is resumed by the next delivery.
    /// </summary>
    private async Task RunInstanceAsync(RequestContext context, string uuid, CancellationToken cancellationToken)
    {
        if (!_building.TryAdd(uuid, 0))
        {
            LogAlreadyBuilding(uuid);
            return;
        }
        try
        {
            var instance = await MineAsync(uuid, cancellationToken).ConfigureAwait(false);
            if (instance is null || !await store.BeginBuildAsync(uuid, Host, cancellationToken).ConfigureAwait(false))
            {
                LogNotToBuild(uuid, instance?.VmState, instance?.TaskState);
                return;
            }
            await EventAsync(context, uuid, "compute__do_build_and_run_instance", () => BuildAsync(context, instance, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _building.TryRemove(uuid, out _);
        }
    }

    /// <summary>
    /// Networking, spawning, active: each step only from the one before, so a delete meanwhile stops the build. A
    /// transient failure (database, broker) is thrown for the bus to deliver the message again, the steps are safe
    /// to repeat (the fixed IP allocation keeps an address already held, a guest already defined is not spawned
    /// again); any other failure puts the instance in ERROR.
    /// </summary>
    private async Task BuildAsync(RequestContext context, Instance instance, CancellationToken cancellationToken)
    {
        var uuid = instance.Uuid;
        InstanceNetwork? nic;
        try
        {
            nic = networking is null || instance.NoNetwork ? null : await networking.PlugAsync(uuid, cancellationToken).ConfigureAwait(false);
            if (firewall is not null && nic is not null)
            {
                await firewall.SetUpAsync(uuid, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsFailure(e))
        {
            LogActionFailed(e, "network allocation", uuid);
            await ReleaseNetworkAsync(uuid, cancellationToken).ConfigureAwait(false);
            await store.SetFaultAsync([uuid], e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!await store.AdvanceBuildAsync(uuid, TaskStates.Networking, TaskStates.Spawning, cancellationToken).ConfigureAwait(false))
        {
            LogBuildStopped(uuid, "networking");
            await ReleaseNetworkAsync(uuid, cancellationToken).ConfigureAwait(false);
            return;
        }
        IReadOnlyList<VolumeDisk> disks = [];
        try
        {
            disks = volumes is null ? [] : await volumes.ConnectForBootAsync(context, instance, cancellationToken).ConfigureAwait(false);
            if (await driver.GetInfoAsync(instance.Name, cancellationToken).ConfigureAwait(false) is null)
            {
                await driver.SpawnAsync(InstanceSpecs.Of(instance, nic, networking?.InjectsNetwork == true, disks), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                LogGuestExists(uuid, instance.Name);
            }
        }
        catch (Exception e) when (IsFailure(e))
        {
            LogActionFailed(e, "spawn", uuid);
            await ReleaseNetworkAsync(uuid, cancellationToken).ConfigureAwait(false);
            await (volumes?.ReleaseAfterFailedBootAsync(context, instance, cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
            // nova's ImageUnacceptable is an Invalid (400): the tenant's image, not the cloud, is at fault.
            await store.SetFaultAsync([uuid], e.Message, cancellationToken, e is ImageUnacceptableException ? 400 : 500).ConfigureAwait(false);
            return;
        }
        var power = (await driver.GetInfoAsync(instance.Name, cancellationToken).ConfigureAwait(false))?.State ?? PowerState.NoState;
        if (!await store.FinishBuildAsync(uuid, power, cancellationToken).ConfigureAwait(false))
        {
            await AbandonGuestAsync(instance, cancellationToken).ConfigureAwait(false);
            return;
        }
        await (volumes?.MarkAttachedAsync(context, instance, disks, cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
        LogSpawned(uuid, instance.Name);
    }

    /// <summary>
    /// The instance stopped building while its guest spawned: if it is being deleted or is gone, the guest is destroyed
    /// here (the delete may have looked before the guest existed), so no guest runs without an instance.
    /// </summary>
    private async Task AbandonGuestAsync(Instance instance, CancellationToken cancellationToken)
    {
        LogBuildStopped(instance.Uuid, "spawning");
        var now = await store.FindAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        if (now is null || now.Deleted || now.TaskState == TaskStates.Deleting)
        {
            await driver.DestroyAsync(instance.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// terminate_instance, safe to deliver more than once: an instance already deleted, or whose guest is already gone,
    /// is a success. The guest, its fixed IP, firewall and volumes go first and the row is marked deleted (with its
    /// claim given back, once) last, so a delivery interrupted half-way is finished by the next one.
    /// </summary>
    private async Task TerminateInstanceAsync(RequestContext context, string uuid, CancellationToken cancellationToken)
    {
        var instance = await MineAsync(uuid, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return;
        }
        try
        {
            await EventAsync(context, uuid, "compute_terminate_instance", () => driver.DestroyAsync(instance.Name, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsFailure(e))
        {
            LogActionFailed(e, "destroy", uuid);
            await store.SetFaultAsync([uuid], e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        // The fixed IP before the firewall: the members' refresh the removal sends must no longer find its address.
        await ReleaseNetworkAsync(uuid, cancellationToken).ConfigureAwait(false);
        await RemoveFirewallAsync(uuid, cancellationToken).ConfigureAwait(false);
        await (volumes?.ReleaseOnTerminateAsync(context, instance, cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
        if (await store.MarkDeletedAsync(instance, cancellationToken).ConfigureAwait(false))
        {
            LogTerminated(uuid, instance.Name);
        }
    }

    /// <summary>A failure of the work itself, for the instance's fault; cancellation and transient failures (retried by a new delivery) are not.</summary>
    private static bool IsFailure(Exception error) => error is not OperationCanceledException && !TransientFaults.IsTransient(error);

    /// <summary>attach_volume/detach_volume: <see cref="InstanceVolumes"/> undoes a failure; the instance keeps its state and the error is logged.</summary>
    private async Task VolumeActionAsync(RequestContext context, string uuid, string method, Func<InstanceVolumes, Instance, Task> act, CancellationToken cancellationToken)
    {
        if (volumes is null || await MineAsync(uuid, cancellationToken).ConfigureAwait(false) is not { } instance)
        {
            return;
        }
        try
        {
            await EventAsync(context, uuid, "compute_" + method, () => act(volumes, instance), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogActionFailed(e, "volume action", uuid);
        }
    }

    private Task RemoveFirewallAsync(string uuid, CancellationToken cancellationToken) => _teardown.RemoveFirewallAsync(uuid, cancellationToken);

    private Task ReleaseNetworkAsync(string uuid, CancellationToken cancellationToken) => _teardown.ReleaseNetworkAsync(uuid, cancellationToken);

    /// <summary>Runs a driver action for a task the API started; success ends in <paramref name="vmState"/>, failure keeps the state with a fault.</summary>
    private async Task ActAsync(RequestContext context, string uuid, string action, Func<Instance, CancellationToken, Task> act, string vmState, CancellationToken cancellationToken)
    {
        var instance = await MineAsync(uuid, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return;
        }
        try
        {
            await EventAsync(context, uuid, $"compute_{action}_instance", () => act(instance, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogActionFailed(e, action, uuid);
            await store.SetFaultAsync([uuid], e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        var power = (await driver.GetInfoAsync(instance.Name, cancellationToken).ConfigureAwait(false))?.State ?? PowerState.NoState;
        await store.SetStatesAsync(uuid, vmState, null, power, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> as an event of the action the request started (see <see cref="InstanceActionsApi.RunEventAsync"/>).</summary>
    private Task EventAsync(RequestContext context, string uuid, string eventName, Func<Task> work, CancellationToken cancellationToken) =>
        actions is null ? work() : actions.RunEventAsync(context, uuid, eventName, Host, work, cancellationToken);

    /// <summary>The live instance if it is placed on this host; a message for another host's instance is ignored.</summary>
    private async Task<Instance?> MineAsync(string uuid, CancellationToken cancellationToken)
    {
        var instance = await store.FindAsync(uuid, cancellationToken).ConfigureAwait(false);
        if (instance is null || instance.Deleted || instance.Host != Host)
        {
            LogNotMine(uuid, Host);
            return null;
        }
        return instance;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "instance {Uuid} spawned as {Name}")]
    private partial void LogSpawned(string uuid, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "instance {Uuid} is being built on this host already: run_instance delivered again is dropped")]
    private partial void LogAlreadyBuilding(string uuid);

    [LoggerMessage(Level = LogLevel.Information, Message = "instance {Uuid} is not this host's to build (vm_state {VmState}, task_state {TaskState}): run_instance ignored")]
    private partial void LogNotToBuild(string uuid, string? vmState, string? taskState);

    [LoggerMessage(Level = LogLevel.Information, Message = "instance {Uuid} stopped building during {Step} (deleted or failed meanwhile): build abandoned")]
    private partial void LogBuildStopped(string uuid, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "instance {Uuid}: guest {Name} exists already (an earlier delivery spawned it): not spawned again")]
    private partial void LogGuestExists(string uuid, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "instance {Uuid} ({Name}) terminated")]
    private partial void LogTerminated(string uuid, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Action} of instance {Uuid} failed")]
    private partial void LogActionFailed(Exception error, string action, string uuid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "instance {Uuid} is not live on host {Host}; message ignored")]
    private partial void LogNotMine(string uuid, string host);

    [LoggerMessage(Level = LogLevel.Error, Message = "domain event of instance {Uuid} ({State}) could not be applied")]
    private partial void LogEventFailed(Exception error, string uuid, PowerState state);
}
