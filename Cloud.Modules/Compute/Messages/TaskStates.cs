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

    // rebuild, resize, snapshot and shelve (nova's task_states of the same names).
    public const string Rebuilding = "rebuilding";
    public const string RebuildSpawning = "rebuild_spawning";
    public const string ResizePrep = "resize_prep";
    public const string ResizeMigrating = "resize_migrating";
    public const string ResizeMigrated = "resize_migrated";
    public const string ResizeFinish = "resize_finish";
    public const string ResizeReverting = "resize_reverting";
    public const string ResizeConfirming = "resize_confirming";
    public const string ImageSnapshot = "image_snapshot";
    public const string ImageUploading = "image_uploading";
    public const string Shelving = "shelving";
    public const string ShelvingImageUploading = "shelving_image_uploading";
    public const string ShelvingOffloading = "shelving_offloading";
    public const string Unshelving = "unshelving";

    public const string Pausing = "pausing";
    public const string Unpausing = "unpausing";
    public const string Suspending = "suspending";
    public const string Resuming = "resuming";
    public const string Rescuing = "rescuing";
    public const string Unrescuing = "unrescuing";
}
