using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>
/// Starts a task on an instance the way nova's compute API does before it casts: lock and state checked
/// (<see cref="InstanceStateCheck"/>), the task state set only if no other task got there first, and the action
/// recorded for os-instance-actions under the caller's request id.
/// </summary>
public sealed class InstanceTasks(InstanceStore store, InstanceActionsApi actions)
{
    /// <summary>
    /// Begins <paramref name="action"/> (nova's action name, also in the 409 message) on <paramref name="instance"/>:
    /// it must be unlocked (or the caller an admin), placed on a host, launched, in one of <paramref name="vmStates"/>
    /// with no task running; its task state becomes <paramref name="taskState"/> and the action is recorded. Throws
    /// Conflict with nova's message otherwise. Returns the host to cast to.
    /// </summary>
    public async Task<string> BeginAsync(
        RequestContext context, Instance instance, string action, string taskState, IReadOnlyCollection<string> vmStates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(vmStates);
        InstanceStateCheck.Check(context, instance, action, vmStates, InstanceStateCheck.NoTask);
        if (instance.Host is not { } host)
        {
            throw CloudException.Conflict($"Instance {instance.Uuid} is not ready");
        }
        if (!await store.BeginTaskAsync(instance.Uuid, taskState, [.. vmStates], cancellationToken).ConfigureAwait(false))
        {
            // Another request changed it since it was read: say what it is now.
            var now = await store.FindAsync(instance.Uuid, cancellationToken).ConfigureAwait(false) ?? instance;
            InstanceStateCheck.Check(context, now, action, vmStates, InstanceStateCheck.NoTask);
            throw CloudException.Conflict($"Instance {instance.Uuid} is in an invalid state for '{action}'");
        }
        await actions.StartAsync(context, instance.Uuid, action, cancellationToken).ConfigureAwait(false);
        return host;
    }
}
