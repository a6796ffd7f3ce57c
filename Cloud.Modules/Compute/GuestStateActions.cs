using Cloud.Modules.Compute.Db;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute;

/// <summary>
/// The compute host's side of pause, unpause, suspend, resume, rescue and unrescue (nova's compute manager methods of those
/// names): each runs as the instance action's <c>compute_&lt;method&gt;</c> event and ends in its vm_state with the
/// hypervisor's power state; a failure records the event as Error and leaves the instance as it was with no task
/// (nova's reverts_task_state).
/// </summary>
public sealed partial class GuestStateActions(
    IComputeDriver driver, InstanceStore store, InstanceActionsApi actions, IOptions<CommonFlags> flags, ILogger<GuestStateActions> log)
{
    private string Host => flags.Value.Host;

    public Task DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken) => message switch
    {
        PauseInstance m => RunAsync(context, m.InstanceUuid, "pause_instance", VmStates.Paused, (i, ct) => driver.PauseAsync(i.Name, ct), cancellationToken),
        UnpauseInstance m => RunAsync(context, m.InstanceUuid, "unpause_instance", VmStates.Active, (i, ct) => driver.UnpauseAsync(i.Name, ct), cancellationToken),
        SuspendInstance m => RunAsync(context, m.InstanceUuid, "suspend_instance", VmStates.Suspended, (i, ct) => driver.SuspendAsync(i.Name, ct), cancellationToken),
        ResumeInstance m => RunAsync(context, m.InstanceUuid, "resume_instance", VmStates.Active, (i, ct) => driver.ResumeAsync(i.Name, ct), cancellationToken),
        RescueInstance m => RunAsync(context, m.InstanceUuid, "rescue_instance", VmStates.Rescued, (i, ct) => driver.RescueAsync(SpecOf(i), m.RescueImageRef, ct), cancellationToken),
        UnrescueInstance m => RunAsync(context, m.InstanceUuid, "unrescue_instance", VmStates.Active, (i, ct) => driver.UnrescueAsync(i.Name, ct), cancellationToken),
        _ => throw new UnknownRpcMethodException(message),
    };

    private async Task RunAsync(RequestContext context, string uuid, string method, string vmState, Func<Instance, CancellationToken, Task> act, CancellationToken cancellationToken)
    {
        var instance = await store.FindAsync(uuid, cancellationToken).ConfigureAwait(false);
        if (instance is null || instance.Deleted || instance.Host != Host || instance.TaskState is null)
        {
            // Another host's, gone, or already done (a redelivered message): nothing to do.
            return;
        }
        try
        {
            await actions.RunEventAsync(context, uuid, "compute_" + method, Host, () => act(instance, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, method, uuid);
            await store.SetTaskStateAsync(uuid, null, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        var power = (await driver.GetInfoAsync(instance.Name, cancellationToken).ConfigureAwait(false))?.State ?? PowerState.NoState;
        await store.SetStatesAsync(uuid, vmState, null, power, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the driver needs to fetch the rescue image for the instance's owner.</summary>
    private static InstanceSpec SpecOf(Instance i) =>
        new(i.Name, i.Uuid, i.MemoryMb, i.Vcpus, i.RootGb, i.ImageRef, i.KernelId, i.RamdiskId, i.KeyData, i.UserData, i.ProjectId, i.UserId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} of instance {Uuid} failed; its task is reverted")]
    private partial void LogFailed(Exception error, string method, string uuid);
}
