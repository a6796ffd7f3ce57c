using Cloud.Modules.Compute;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's API status of a server from its vm_state and task_state (nova.api.openstack.common._STATE_MAP), every state
/// nova has, so actions that add states (pause, suspend, rescue, resize, shelve, rebuild) need no change here.
/// </summary>
public static class ServerStatus
{
    private static readonly Dictionary<string, string> Reboot = new(StringComparer.Ordinal)
    {
        ["rebooting"] = "REBOOT",
        ["reboot_pending"] = "REBOOT",
        ["reboot_started"] = "REBOOT",
        ["rebooting_hard"] = "HARD_REBOOT",
        ["reboot_pending_hard"] = "HARD_REBOOT",
        ["reboot_started_hard"] = "HARD_REBOOT",
        ["updating_password"] = "PASSWORD",
        ["migrating"] = "MIGRATING",
    };

    private static readonly HashSet<string> Rebuilding = new(StringComparer.Ordinal) { "rebuilding", "rebuild_block_device_mapping", "rebuild_spawning" };

    private static readonly HashSet<string> Resizing = new(StringComparer.Ordinal) { "resize_prep", "resize_migrating", "resize_migrated", "resize_finish" };

    /// <summary>The status nova shows for <paramref name="instance"/> (DELETED for a deleted row whatever its states).</summary>
    public static string Of(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.Deleted)
        {
            return "DELETED";
        }
        var task = instance.TaskState ?? "";
        return instance.VmState switch
        {
            VmStates.Active when Reboot.TryGetValue(task, out var status) => status,
            VmStates.Active or VmStates.Stopped when Rebuilding.Contains(task) => "REBUILD",
            VmStates.Active or VmStates.Stopped when Resizing.Contains(task) => "RESIZE",
            VmStates.Active => "ACTIVE",
            VmStates.Building => "BUILD",
            VmStates.Stopped => "SHUTOFF",
            "resized" => task == "resize_reverting" ? "REVERT_RESIZE" : "VERIFY_RESIZE",
            "paused" => task == "migrating" ? "MIGRATING" : "PAUSED",
            "suspended" => "SUSPENDED",
            "rescued" => "RESCUE",
            VmStates.Error => Rebuilding.Contains(task) ? "REBUILD" : "ERROR",
            VmStates.Deleted => "DELETED",
            "soft-delete" => "SOFT_DELETED",
            "shelved" => "SHELVED",
            "shelved_offloaded" => "SHELVED_OFFLOADED",
            _ => "UNKNOWN",
        };
    }
}
