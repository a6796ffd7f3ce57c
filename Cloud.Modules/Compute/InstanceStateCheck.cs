using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>
/// nova's check_instance_lock and check_instance_state: the 409 an action gets when the instance is locked or in the
/// wrong state, with nova's API messages (<c>Instance &lt;uuid&gt; is locked</c>,
/// <c>Cannot 'pause' instance &lt;uuid&gt; while it is in vm_state paused</c>).
/// </summary>
public static class InstanceStateCheck
{
    /// <summary>The task states of an instance with no task running (nova's default <c>task_state=(None,)</c>).</summary>
    public static readonly IReadOnlyCollection<string?> NoTask = [null];

    /// <summary>
    /// Throws Conflict unless <paramref name="instance"/> may be <paramref name="action"/>ed: not locked (admins pass a
    /// lock), <c>vm_state</c> in <paramref name="vmStates"/> (null: any), <c>task_state</c> in <paramref name="taskStates"/>
    /// (null: any; <see cref="NoTask"/>: none running), and launched once when <paramref name="mustHaveLaunched"/>.
    /// </summary>
    public static void Check(
        RequestContext context, Instance instance, string action, IReadOnlyCollection<string>? vmStates, IReadOnlyCollection<string?>? taskStates,
        bool checkLock = true, bool mustHaveLaunched = true)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (checkLock)
        {
            RequireUnlocked(context, instance);
        }
        if (vmStates is not null && !vmStates.Contains(instance.VmState))
        {
            throw Invalid(action, instance, "vm_state", instance.VmState);
        }
        if (taskStates is not null && !taskStates.Contains(instance.TaskState))
        {
            throw Invalid(action, instance, "task_state", instance.TaskState ?? "None");
        }
        if (mustHaveLaunched && instance.LaunchedAt is null)
        {
            throw Invalid(action, instance, "launched_at", "None");
        }
    }

    /// <summary>nova's check_instance_lock: a locked instance refuses everyone but admins.</summary>
    public static void RequireUnlocked(RequestContext context, Instance instance)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.Locked && !context.IsAdmin)
        {
            throw CloudException.Conflict($"Instance {instance.Uuid} is locked");
        }
    }

    /// <summary>nova's raise_http_conflict_for_instance_invalid_state.</summary>
    public static CloudException Invalid(string action, Instance instance, string attribute, string state)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return CloudException.Conflict($"Cannot '{action}' instance {instance.Uuid} while it is in {attribute} {state}");
    }
}
