namespace Cloud.Modules.Compute;

/// <summary>
/// How far a new instance got in its build, as a schedule_run_instance delivered again must judge it: messages arrive
/// at least once, so the scheduler places only what is unplaced and re-sends run_instance only to an instance's own
/// host, and only while run_instance could still start it.
/// </summary>
public static class BuildStages
{
    /// <summary>Live, building and on no host yet: the scheduler still has to place it.</summary>
    public static bool AwaitsPlacement(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return !instance.Deleted && instance.Host is null && instance.VmState == VmStates.Building;
    }

    /// <summary>
    /// Placed and building but not spawning yet: run_instance may be sent (again) to its host, which starts it once.
    /// Past that (spawning, active, deleting, deleted, error) nothing is to be sent.
    /// </summary>
    public static bool AwaitsStart(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return !instance.Deleted && instance.Host is not null && instance.VmState == VmStates.Building
            && instance.TaskState is null or TaskStates.Scheduling or TaskStates.Networking;
    }
}
