namespace Cloud.Modules.Compute;

/// <summary>nova's vm_state values: where an instance is in its life.</summary>
public static class VmStates
{
    public const string Building = "building";
    public const string Active = "active";
    public const string Stopped = "stopped";
    public const string Paused = "paused";
    public const string Suspended = "suspended";
    public const string Rescued = "rescued";
    public const string Error = "error";
    public const string Deleted = "deleted";
}
