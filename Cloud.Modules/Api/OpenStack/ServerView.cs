using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Compute;
using Cloud.Modules.Network;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>Servers in the v2.1 JSON of api-compat §3.2: status from vm_state and task_state, OS-EXT-STS, a fault on ERROR.</summary>
public static class ServerView
{
    /// <summary>nova's API status of an instance.</summary>
    public static string Status(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return (instance.VmState, instance.TaskState) switch
        {
            (VmStates.Deleted, _) => "DELETED",
            (VmStates.Error, _) => "ERROR",
            (VmStates.Building, _) => "BUILD",
            (_, TaskStates.Rebuilding or TaskStates.RebuildSpawning) => "REBUILD",
            (_, TaskStates.ResizeReverting) => "REVERT_RESIZE",
            (_, TaskStates.ResizePrep or TaskStates.ResizeMigrating or TaskStates.ResizeMigrated or TaskStates.ResizeFinish) => "RESIZE",
            (VmStates.Resized, _) => "VERIFY_RESIZE",
            (VmStates.Shelved, _) => "SHELVED",
            (VmStates.ShelvedOffloaded, _) => "SHELVED_OFFLOADED",
            (VmStates.Stopped, _) => "SHUTOFF",
            (VmStates.Paused, _) => "PAUSED",
            (VmStates.Suspended, _) => "SUSPENDED",
            (VmStates.Rescued, _) => "RESCUE",
            (_, TaskStates.Rebooting) => "REBOOT",
            (_, TaskStates.RebootingHard) => "HARD_REBOOT",
            _ => "ACTIVE",
        };
    }

    public static Dictionary<string, object?> Summary(HttpContext context, Instance instance) => new(StringComparer.Ordinal)
    {
        ["id"] = instance.Uuid,
        ["name"] = instance.DisplayName,
        ["links"] = NovaJson.Links(context, "servers", instance.Uuid),
    };

    /// <param name="context">The request (for links).</param>
    /// <param name="instance">The server.</param>
    /// <param name="metadata">Its metadata items.</param>
    /// <param name="groups">Its security group names.</param>
    /// <param name="addresses">Its fixed IPs, then its floating IPs.</param>
    /// <param name="admin">An admin also sees nova's OS-EXT-SRV-ATTR host and libvirt domain name.</param>
    /// <param name="volumeIds">The uuids of its attached volumes (os-extended-volumes:volumes_attached).</param>
    public static Dictionary<string, object?> Detail(
        HttpContext context, Instance instance, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<string> groups, IEnumerable<FixedAddress> addresses, bool admin,
        IEnumerable<string>? volumeIds = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var server = Summary(context, instance);
        var baseUrl = NovaJson.BaseUrl(context);
        var flavorId = instance.InstanceTypeId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        server["status"] = Status(instance);
        server["tenant_id"] = instance.ProjectId;
        server["user_id"] = instance.UserId;
        server["metadata"] = metadata;
        server["hostId"] = instance.Host is null ? "" : HostId(instance.ProjectId, instance.Host);
        server["created"] = NovaJson.Timestamp(instance.CreatedAt);
        server["updated"] = NovaJson.Timestamp(instance.UpdatedAt);
        // A server booted from a volume has no image: nova shows "".
        server["image"] = string.IsNullOrEmpty(instance.ImageRef) ? "" : (object)new { id = instance.ImageRef, links = new[] { new { rel = "bookmark", href = $"{baseUrl}/images/{instance.ImageRef}" } } };
        server["flavor"] = new { id = flavorId, links = new[] { new { rel = "bookmark", href = $"{baseUrl}/flavors/{flavorId}" } } };
        server["addresses"] = addresses.GroupBy(a => a.NetworkLabel, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(a => new Dictionary<string, object?>
        {
            ["addr"] = a.Address,
            ["version"] = 4,
            ["OS-EXT-IPS:type"] = a.Type,
            ["OS-EXT-IPS-MAC:mac_addr"] = a.MacAddress,
        }).ToList(), StringComparer.Ordinal);
        server["accessIPv4"] = "";
        server["accessIPv6"] = "";
        server["key_name"] = instance.KeyName;
        server["progress"] = instance.VmState == VmStates.Active ? 100 : 0;
        server["config_drive"] = "";
        server["security_groups"] = groups.Select(g => new { name = g }).ToList();
        server["OS-DCF:diskConfig"] = "MANUAL";
        server["OS-EXT-AZ:availability_zone"] = instance.AvailabilityZone ?? "nova";
        server["OS-EXT-STS:vm_state"] = instance.VmState;
        server["OS-EXT-STS:task_state"] = instance.TaskState;
        server["OS-EXT-STS:power_state"] = (int)instance.PowerState;
        server["OS-SRV-USG:launched_at"] = instance.LaunchedAt is { } launched ? Microseconds(launched) : null;
        server["OS-SRV-USG:terminated_at"] = instance.TerminatedAt is { } terminated ? Microseconds(terminated) : null;
        server["os-extended-volumes:volumes_attached"] = (volumeIds ?? []).Select(id => new { id }).ToList();
        if (admin)
        {
            server["OS-EXT-SRV-ATTR:host"] = instance.Host;
            server["OS-EXT-SRV-ATTR:hypervisor_hostname"] = instance.Host;
            server["OS-EXT-SRV-ATTR:instance_name"] = instance.Name;
        }
        if (instance.VmState == VmStates.Error && instance.FaultMessage is { } message)
        {
            server["fault"] = new { code = instance.FaultCode ?? 500, message, created = NovaJson.Timestamp(instance.UpdatedAt) };
        }
        return server;
    }

    /// <summary>nova's opaque host id: a hash of project and host, so projects cannot compare hosts with each other.</summary>
    internal static string HostId(string projectId, string host) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(projectId + host)))[..56].ToLowerInvariant();

    internal static string Microseconds(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
}
