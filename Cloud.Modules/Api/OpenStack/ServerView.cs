using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Compute;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// Servers in nova's JSON (nova/api/openstack/compute/views/servers.py): the 2.1 keys here, each later microversion's
/// changes in <see cref="ServerVersionBlocks"/>, the sections an answer carries in <see cref="ServerViewOptions"/>.
/// </summary>
public static class ServerView
{
    /// <summary>Statuses that show <c>progress</c>.</summary>
    private static readonly HashSet<string> ProgressStatuses = new(StringComparer.Ordinal) { "ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING" };

    /// <summary>nova's API status of an instance.</summary>
    public static string Status(Instance instance) => ServerStatus.Of(instance);

    /// <summary>The list view: id, name, links.</summary>
    public static Dictionary<string, object?> Summary(HttpContext context, Instance instance) => Summary(NovaJson.BaseUrl(context), instance);

    /// <summary>The list view under <paramref name="baseUrl"/> (<see cref="NovaJson.BaseUrl"/>, worked out once for a page).</summary>
    public static Dictionary<string, object?> Summary(string baseUrl, Instance instance) => Summary(baseUrl, instance, 3);

    /// <summary>The list view in a dictionary with room for <paramref name="capacity"/> keys.</summary>
    private static Dictionary<string, object?> Summary(string baseUrl, Instance instance, int capacity)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new(capacity, StringComparer.Ordinal)
        {
            ["id"] = instance.Uuid,
            ["name"] = instance.DisplayName,
            ["links"] = NovaJson.Links(baseUrl, "servers", instance.Uuid),
        };
    }

    /// <summary>The detailed view of <paramref name="facts"/> at <paramref name="version"/> with the sections of <paramref name="options"/>.</summary>
    public static Dictionary<string, object?> Detail(HttpContext context, Microversion version, ServerFacts facts, ServerViewOptions options)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(options);
        var instance = facts.Instance;
        var baseUrl = NovaJson.BaseUrl(context);
        // Sized for the keys of the latest microversion (some 45): the detail view grows into it without resizing.
        var server = Summary(baseUrl, instance, 48);
        var status = Status(instance);
        server["status"] = status;
        server["tenant_id"] = instance.ProjectId;
        server["user_id"] = instance.UserId;
        server["metadata"] = facts.Metadata;
        server["hostId"] = instance.Host is null ? "" : HostId(instance.ProjectId, instance.Host);
        server["created"] = NovaJson.Timestamp(instance.CreatedAt);
        server["updated"] = NovaJson.Timestamp(instance.UpdatedAt);
        // A server booted from a volume has no image: nova shows "".
        server["image"] = string.IsNullOrEmpty(instance.ImageRef) ? "" : new NovaReference(instance.ImageRef, $"{baseUrl}/images/{instance.ImageRef}");
        // nova shows the flavor's flavorid (any string, e.g. "tiny-x"), never the row's internal number.
        var flavorId = facts.Flavor?.FlavorId ?? instance.InstanceTypeId.ToString(CultureInfo.InvariantCulture);
        server["flavor"] = new NovaReference(flavorId, $"{baseUrl}/flavors/{flavorId}");
        server["addresses"] = Addresses(facts, options.ExtendedAddresses);
        server["accessIPv4"] = instance.AccessIpV4 ?? "";
        server["accessIPv6"] = instance.AccessIpV6 ?? "";
        server["OS-DCF:diskConfig"] = facts.DiskConfig;
        if (status is "ERROR" or "DELETED" && instance.FaultMessage is { } message)
        {
            server["fault"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["code"] = instance.FaultCode ?? 500,
                ["created"] = NovaJson.Timestamp(instance.UpdatedAt),
                ["message"] = message,
            };
        }
        if (ProgressStatuses.Contains(status))
        {
            server["progress"] = 0; // nova records progress only while migrating or snapshotting; its samples show 0
        }
        AddSections(server, facts, options);
        foreach (var (since, add) in ServerVersionBlocks.All)
        {
            if (version.AtLeast(since))
            {
                add(server, facts, options);
            }
        }
        return server;
    }

    /// <summary>The 2.1 sections an answer may leave out (<see cref="ServerViewOptions"/>).</summary>
    private static void AddSections(Dictionary<string, object?> server, ServerFacts facts, ServerViewOptions options)
    {
        var instance = facts.Instance;
        if (options.AvailabilityZone)
        {
            server["OS-EXT-AZ:availability_zone"] = instance.AvailabilityZone ?? "nova";
        }
        if (options.ConfigDrive)
        {
            server["config_drive"] = "";
        }
        if (options.KeyName)
        {
            server["key_name"] = instance.KeyName;
        }
        if (options.Usage)
        {
            server["OS-SRV-USG:launched_at"] = instance.LaunchedAt is { } launched ? Microseconds(launched) : null;
            server["OS-SRV-USG:terminated_at"] = instance.TerminatedAt is { } terminated ? Microseconds(terminated) : null;
        }
        if (options.SecurityGroups && facts.SecurityGroups.Count > 0)
        {
            server["security_groups"] = facts.SecurityGroups.Select(g => new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = g }).ToList();
        }
        if (options.AdminAttributes && facts.Admin)
        {
            server["OS-EXT-SRV-ATTR:host"] = instance.Host;
            server["OS-EXT-SRV-ATTR:hypervisor_hostname"] = instance.Host;
            server["OS-EXT-SRV-ATTR:instance_name"] = instance.Name;
        }
        if (options.ExtendedStatus)
        {
            server["OS-EXT-STS:task_state"] = instance.TaskState;
            server["OS-EXT-STS:vm_state"] = instance.VmState;
            server["OS-EXT-STS:power_state"] = (int)instance.PowerState;
        }
        if (options.ExtendedVolumes)
        {
            server["os-extended-volumes:volumes_attached"] = facts.Volumes.Select(v => new Dictionary<string, object> { ["id"] = v.Id }).ToList();
        }
    }

    /// <summary>Addresses by network label; none while the server builds (as nova). Also <c>/servers/{id}/ips</c>'s answer.</summary>
    internal static Dictionary<string, List<Dictionary<string, object?>>> Addresses(ServerFacts facts, bool extended)
    {
        if (facts.Instance.VmState == VmStates.Building)
        {
            return new(StringComparer.Ordinal);
        }
        return facts.Addresses.GroupBy(a => a.NetworkLabel, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(a =>
        {
            var address = new Dictionary<string, object?> { ["addr"] = a.Address, ["version"] = a.Address.Contains(':', StringComparison.Ordinal) ? 6 : 4 };
            if (extended)
            {
                address["OS-EXT-IPS:type"] = a.Type;
                address["OS-EXT-IPS-MAC:mac_addr"] = a.MacAddress;
            }
            return address;
        }).ToList(), StringComparer.Ordinal);
    }

    /// <summary>nova's opaque host id: a hash of project and host, so projects cannot compare hosts with each other.
    /// A page of 1,000 servers on a few hosts hashed the same few pairs 1,000 times (SHA-256, hex, lower-casing: 1.5 %
    /// of the page's CPU), so the ids are kept per (project, host); the cache is emptied when it reaches
    /// <see cref="HostIdCacheSize"/> pairs, so it stays small whatever the number of projects and hosts.</summary>
    internal static string HostId(string projectId, string host)
    {
        var key = (projectId, host);
        if (HostIds.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(projectId + host)))[..56].ToLowerInvariant();
        if (HostIds.Count >= HostIdCacheSize)
        {
            HostIds.Clear();
        }
        HostIds[key] = id;
        return id;
    }

    private const int HostIdCacheSize = 4096;

    private static readonly ConcurrentDictionary<(string ProjectId, string Host), string> HostIds = new();

    /// <summary>
    /// nova's str(datetime) of the usage timestamps: yyyy-MM-ddTHH:mm:ss.ffffff, the round-trip format ("o", which
    /// .NET formats without parsing a pattern, 7 digits of fraction and a Z for UTC) cut after the 6th digit. The
    /// custom pattern was 2 % of a page's CPU.
    /// </summary>
    internal static string Microseconds(DateTime value) =>
        string.Create(26, DateTime.SpecifyKind(value, DateTimeKind.Utc), static (text, time) =>
        {
            Span<char> roundTrip = stackalloc char[28];
            time.TryFormat(roundTrip, out _, "o", CultureInfo.InvariantCulture);
            roundTrip[..26].CopyTo(text);
        });
}
