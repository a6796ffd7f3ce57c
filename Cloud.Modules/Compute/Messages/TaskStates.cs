namespace Cloud.Modules.Compute;

/// <summary>nova's task_state values: what is being done to an instance right now.</summary>
public static class TaskStates
{
    public const string Scheduling = "scheduling";

    /// <summary>The network role is allocating the instance's fixed IP (nova's networking task state).</summary>
    public const string Networking = "networking";

    public const string Spawning = "spawning";
    public const string Rebooting = "rebooting";
    public const string RebootingHard = "rebooting_hard";
    public const string PoweringOff = "powering-off";
    public const string PoweringOn = "powering-on";
    public const string Deleting = "deleting";
    public const string Pausing = "pausing";
    public const string Unpausing = "unpausing";
    public const string Suspending = "suspending";
    public const string Resuming = "resuming";
    public const string Rescuing = "rescuing";
    public const string Unrescuing = "unrescuing";
}
