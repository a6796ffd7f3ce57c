using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Kernel.Service;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// How cloudd's services rows read in nova's os-services and os-hypervisors: the compute and scheduler roles as
/// <c>nova-compute</c> / <c>nova-scheduler</c> (the API and the non-compute roles are not nova services), zones as nova
/// gives them, and stable UUIDs (2.53) derived from what identifies a row, since the table keeps none.
/// </summary>
public static class NovaServiceNames
{
    /// <summary>nova's binary name of a row, or null for a row nova would not list.</summary>
    public static string? Binary(ServiceRecord service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Binary switch
        {
            "cloudd-compute" => "nova-compute",
            "cloudd-scheduler" => "nova-scheduler",
            _ => null,
        };
    }

    /// <summary>cloudd's binary for a name a client sends (nova's, or cloudd's own).</summary>
    public static string RowBinary(string binary) => binary.StartsWith("nova-", StringComparison.Ordinal) ? "cloudd-" + binary[5..] : binary;

    /// <summary>nova shows services other than compute in its <c>internal</c> zone.</summary>
    public static string Zone(ServiceRecord service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Binary == "cloudd-compute" ? service.AvailabilityZone : "internal";
    }

    /// <summary>A service's last heartbeat as os-services and the zone detail show it (microseconds, no zone).</summary>
    public static string UpdatedAt(ServiceRecord service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return NovaJson.Timestamp(service.UpdatedAt).TrimEnd('Z') + ".000000";
    }

    /// <summary>The 2.53 id of a services row: a name-based UUID of its host and binary.</summary>
    public static string Uuid(ServiceRecord service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return NameUuid($"service:{service.Host}:{service.Binary}");
    }

    /// <summary>The 2.53 id of a compute host's hypervisor.</summary>
    public static string HypervisorUuid(string host) => NameUuid($"compute_node:{host}");

    // An RFC 4122 version 5 (SHA-1, name-based) UUID: the same name always gives the same id.
    private static string NameUuid(string name)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
