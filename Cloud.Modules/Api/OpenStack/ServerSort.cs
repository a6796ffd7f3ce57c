using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's server list order: <c>sort_key</c>/<c>sort_dir</c> pairs (default created_at then id, newest first), keys
/// from nova's list (others 400), host and node for admins only (403), keys nova ignores dropped with their direction.
/// The database applies it (<see cref="InstanceListQuery.Sort"/>), as nova's does.
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

    /// <summary>The order as the instance list takes it (the database sorts; keys without a column are ignored there).</summary>
    public IReadOnlyList<InstanceSortKey> Keys => [.. _order.Select(o => new InstanceSortKey(o.Key, o.Descending))];
}
