using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute;

/// <summary>
/// The API side of pause/unpause, suspend/resume, rescue/unrescue, lock/unlock and reset state (nova's compute API methods
/// of those names): nova's lock and state checks, the task state, the recorded action, then a cast to the instance's host;
/// lock, unlock and reset state change only the database. Callers pass an instance they may see (<see cref="ComputeApi.GetAsync"/>).
/// </summary>
public sealed class GuestStateApi(InstanceTasks tasks, InstanceAdminStore store, InstanceActionsApi actions, ComputeRpcClient compute, IOptions<CommonFlags> flags)
{
    public Task PauseAsync(RequestContext context, Instance instance, CancellationToken cancellationToken) =>
        CastAsync(context, instance, "pause", TaskStates.Pausing, [VmStates.Active], new PauseInstance(instance.Uuid), cancellationToken);

    public Task UnpauseAsync(RequestContext context, Instance instance, CancellationToken cancellationToken) =>
        CastAsync(context, instance, "unpause", TaskStates.Unpausing, [VmStates.Paused], new UnpauseInstance(instance.Uuid), cancellationToken);

    public Task SuspendAsync(RequestContext context, Instance instance, CancellationToken cancellationToken) =>
        CastAsync(context, instance, "suspend", TaskStates.Suspending, [VmStates.Active], new SuspendInstance(instance.Uuid), cancellationToken);

    public Task ResumeAsync(RequestContext context, Instance instance, CancellationToken cancellationToken) =>
        CastAsync(context, instance, "resume", TaskStates.Resuming, [VmStates.Suspended], new ResumeInstance(instance.Uuid), cancellationToken);

    /// <summary>Rescues from <paramref name="rescueImageRef"/> (null: the instance's own image). A volume-backed instance cannot be rescued (400, as nova before 2.87).</summary>
    public Task RescueAsync(RequestContext context, Instance instance, string? rescueImageRef, bool volumeBacked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        InstanceStateCheck.Check(context, instance, "rescue", [VmStates.Active, VmStates.Stopped, VmStates.Error], InstanceStateCheck.NoTask);
        if (volumeBacked || string.IsNullOrEmpty(rescueImageRef ?? instance.ImageRef))
        {
            throw CloudException.Invalid($"Instance {instance.Uuid} cannot be rescued: Cannot rescue a volume-backed instance");
        }
        var image = rescueImageRef ?? instance.ImageRef;
        return CastAsync(context, instance, "rescue", TaskStates.Rescuing, [VmStates.Active, VmStates.Stopped, VmStates.Error], new RescueInstance(instance.Uuid, image), cancellationToken);
    }

    public Task UnrescueAsync(RequestContext context, Instance instance, CancellationToken cancellationToken) =>
        CastAsync(context, instance, "unrescue", TaskStates.Unrescuing, [VmStates.Rescued], new UnrescueInstance(instance.Uuid), cancellationToken);

    /// <summary>
    /// nova's lock: by the owner (<c>locked_by owner</c>) or an admin of another project (<c>admin</c>); an owner's second
    /// lock changes nothing. Recorded as the action <c>lock</c> with its <c>api_lock</c> event.
    /// </summary>
    public async Task LockAsync(RequestContext context, Instance instance, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(instance);
        var isOwner = instance.ProjectId == context.ProjectId;
        if (instance.Locked && isOwner)
        {
            return;
        }
        await actions.StartAsync(context, instance.Uuid, "lock", cancellationToken).ConfigureAwait(false);
        await actions.RunEventAsync(context, instance.Uuid, "api_lock", flags.Value.Host,
            () => store.LockAsync(instance.Uuid, isOwner ? "owner" : "admin", reason, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>nova's unlock: an admin's lock is the admin's to lift (403 for its owner, nova's unlock_override policy).</summary>
    public async Task UnlockAsync(RequestContext context, Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(instance);
        var expectedBy = instance.ProjectId == context.ProjectId ? "owner" : "admin";
        if (instance.LockedBy is { } lockedBy && lockedBy != expectedBy && !context.IsAdmin)
        {
            throw CloudException.Forbidden("Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed.");
        }
        await actions.StartAsync(context, instance.Uuid, "unlock", cancellationToken).ConfigureAwait(false);
        await actions.RunEventAsync(context, instance.Uuid, "api_unlock", flags.Value.Host, () => store.UnlockAsync(instance.Uuid, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>nova's os-resetState (admins only): vm_state <c>active</c> or <c>error</c> and no task, whatever the instance was doing.</summary>
    public async Task ResetStateAsync(RequestContext context, Instance instance, string vmState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(instance);
        if (!context.IsAdmin)
        {
            throw CloudException.Forbidden("Policy doesn't allow os_compute_api:os-admin-actions:reset_state to be performed.");
        }
        await actions.StartAsync(context, instance.Uuid, "resetState", cancellationToken).ConfigureAwait(false);
        await store.ResetStateAsync(instance.Uuid, vmState, cancellationToken).ConfigureAwait(false);
    }

    private async Task CastAsync(
        RequestContext context, Instance instance, string action, string taskState, IReadOnlyCollection<string> vmStates, IRpcMessage message, CancellationToken cancellationToken)
    {
        var host = await tasks.BeginAsync(context, instance, action, taskState, vmStates, cancellationToken).ConfigureAwait(false);
        await compute.ChangeGuestStateAsync(context, host, message, cancellationToken).ConfigureAwait(false);
    }
}
