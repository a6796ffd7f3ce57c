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

    /// <summary>Resized, waiting for the user to confirm or revert (API status VERIFY_RESIZE).</summary>
    public const string Resized = "resized";

    /// <summary>Shelved: snapshotted and powered off, still on its host (SHELVED).</summary>
    public const string Shelved = "shelved";

    /// <summary>Shelved and gone from its host, only its snapshot left (SHELVED_OFFLOADED).</summary>
    public const string ShelvedOffloaded = "shelved_offloaded";
}
