using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's server list order: <c>sort_key</c>/<c>sort_dir</c> pairs (default created_at then id, newest first), keys
/// from nova's list (others 400), host and node for admins only (403), keys nova ignores dropped with their direction.
/// </summary>
public sealed class ServerSort
{
    /// <summary>nova's VALID_SORT_KEYS (before 2.73 'locked' is ignored; from 2.73 a key).</summary>
    private static readonly string[] ValidKeys =
    [
        "access_ip_v4", "access_ip_v6", "auto_disk_config", "availability_zone", "config_drive", "created_at", "display_description", "display_name",
        "host", "hostname", "image_ref", "instance_type_id", "kernel_id", "key_name", "launch_index", "launched_at", "locked_by", "node", "power_state",
        "progress", "project_id", "ramdisk_id", "root_device_name", "task_state", "terminated_at", "updated_at", "user_id", "uuid", "vm_state",
        "architecture", "cell_name", "cleaned", "default_ephemeral_device", "default_swap_device", "deleted", "deleted_at", "disable_terminate",
        "ephemeral_gb", "ephemeral_key_uuid", "id", "key_data", "launched_on", "locked", "memory_mb", "os_type", "reservation_id", "root_gb",
        "shutdown_terminate", "user_data", "vcpus", "vm_mode",
    ];

    private static readonly Dictionary<string, Func<Instance, IComparable?>> Keys = new(StringComparer.Ordinal)
    {
        ["access_ip_v4"] = i => i.AccessIpV4,
        ["access_ip_v6"] = i => i.AccessIpV6,
        ["availability_zone"] = i => i.AvailabilityZone,
        ["created_at"] = i => i.CreatedAt,
        ["display_description"] = i => i.Description,
        ["display_name"] = i => i.DisplayName,
        ["host"] = i => i.Host,
        ["node"] = i => i.Host,
        ["image_ref"] = i => i.ImageRef,
        ["instance_type_id"] = i => i.InstanceTypeId,
        ["kernel_id"] = i => i.KernelId,
        ["key_name"] = i => i.KeyName,
        ["launch_index"] = i => i.LaunchIndex,
        ["launched_at"] = i => i.LaunchedAt,
        ["locked_by"] = i => i.LockedBy,
        ["power_state"] = i => (int)i.PowerState,
        ["project_id"] = i => i.ProjectId,
        ["ramdisk_id"] = i => i.RamdiskId,
        ["task_state"] = i => i.TaskState,
        ["terminated_at"] = i => i.TerminatedAt,
        ["updated_at"] = i => i.UpdatedAt,
        ["user_id"] = i => i.UserId,
        ["uuid"] = i => i.Uuid,
        ["vm_state"] = i => i.VmState,
        ["locked"] = i => i.Locked,
        ["id"] = i => i.Id,
    };

    private readonly List<(string Key, bool Descending)> _order;

    private ServerSort(List<(string Key, bool Descending)> order) => _order = order;

    public static ServerSort Parse(IQueryCollection query, Microversion version, bool admin)
    {
        ArgumentNullException.ThrowIfNull(query);
        var keys = query["sort_key"].Where(k => !string.IsNullOrEmpty(k)).Select(k => k!).ToList();
        var dirs = query["sort_dir"].Where(d => !string.IsNullOrEmpty(d)).Select(d => d!).ToList();
        var ignored = new HashSet<string>(ValidKeys[29..], StringComparer.Ordinal);
        if (version.AtLeast(73))
        {
            ignored.Remove("locked");
        }
        foreach (var key in keys)
        {
            if (!ValidKeys.Contains(key, StringComparer.Ordinal) || (version.AtLeast(75) && ignored.Contains(key)))
            {
                throw CloudException.Invalid($"Invalid input for query parameters sort_key. Value: {key}. '{key}' is not one of [{string.Join(", ", ValidKeys.Select(k => $"'{k}'"))}]");
            }
        }
        if (dirs.Any(d => d is not ("asc" or "desc")))
        {
            throw CloudException.Invalid("Invalid input received: Unknown sort direction, must be 'desc' or 'asc'");
        }
        var order = new List<(string, bool)>();
        for (var index = 0; index < keys.Count; index++)
        {
            var key = keys[index];
            if (ignored.Contains(key) && key != "id")
            {
                continue;
            }
            if (key is "host" or "node" && !admin)
            {
                throw CloudException.Forbidden($"Only administrators can sort servers by {key}");
            }
            order.Add((key, (index < dirs.Count ? dirs[index] : dirs.FirstOrDefault() ?? "desc") == "desc"));
        }
        if (order.Count == 0)
        {
            order.Add(("created_at", (dirs.FirstOrDefault() ?? "desc") == "desc"));
        }
        // nova adds id as the last key so equal values keep a stable order across pages.
        order.Add(("id", order[0].Item2));
        return new ServerSort(order);
    }

    public IReadOnlyList<Instance> Apply(IEnumerable<Instance> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        IOrderedEnumerable<Instance>? sorted = null;
        foreach (var (key, descending) in _order)
        {
            if (!Keys.TryGetValue(key, out var field))
            {
                continue;
            }
            sorted = sorted is null
                ? (descending ? servers.OrderByDescending(field, NullsFirst.Instance) : servers.OrderBy(field, NullsFirst.Instance))
                : (descending ? sorted.ThenByDescending(field, NullsFirst.Instance) : sorted.ThenBy(field, NullsFirst.Instance));
        }
        return [.. sorted ?? servers];
    }

    /// <summary>Nulls sort before values (as MySQL and SQLite order NULL first ascending).</summary>
    private sealed class NullsFirst : IComparer<IComparable?>
    {
        public static readonly NullsFirst Instance = new();

        public int Compare(IComparable? x, IComparable? y) =>
            x is null ? (y is null ? 0 : -1) : y is null ? 1 : x.CompareTo(y);
    }
}
