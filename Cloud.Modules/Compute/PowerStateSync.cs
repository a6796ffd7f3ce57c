using Cloud.Modules.Compute.Db;
using Cloud.Modules.Compute.Drivers;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Compute;

/// <summary>
/// nova's _sync_power_states for one instance, the safety net under the domain events: records what the hypervisor
/// says, and an active (or paused) instance whose guest is gone or powered itself off becomes stopped, not deleted.
/// </summary>
public sealed partial class PowerStateSync(IComputeDriver driver, InstanceStore store, ILogger log)
{
    /// <summary>
    /// Instances with a task running or in error are left alone. A building one is left alone until its guest exists;
    /// then only its power state is recorded (the build, or <see cref="GuestReconciler"/> for a stalled one, makes it active).
    /// </summary>
    public async Task SyncAsync(Instance instance, CancellationToken cancellationToken)
    {
        var building = instance.VmState == VmStates.Building;
        if (!building && instance.TaskState is not null || instance.VmState == VmStates.Error)
        {
            return;
        }
        var info = await driver.GetInfoAsync(instance.Name, cancellationToken).ConfigureAwait(false);
        if (building && info is null)
        {
            return;
        }
        var power = info?.State ?? PowerState.NoState;
        if (power == instance.PowerState)
        {
            return;
        }
        LogPowerStateDrift(instance.Uuid, instance.PowerState, power);
        if (instance.VmState is VmStates.Active or VmStates.Paused && power is PowerState.Shutdown or PowerState.Crashed or PowerState.NoState)
        {
            await store.SetStatesAsync(instance.Uuid, VmStates.Stopped, null, power, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await store.SetPowerStateAsync(instance.Uuid, power, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Syncs every live instance placed on <paramref name="host"/>.</summary>
    public async Task SyncHostAsync(string host, CancellationToken cancellationToken)
    {
        foreach (var instance in await store.OnHostAsync(host, cancellationToken).ConfigureAwait(false))
        {
            await SyncAsync(instance, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "instance {Uuid}: power state {Recorded} in the database, {Actual} on the hypervisor")]
    private partial void LogPowerStateDrift(string uuid, PowerState recorded, PowerState actual);
}
