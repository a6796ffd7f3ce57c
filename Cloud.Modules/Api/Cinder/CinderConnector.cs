using System.Text.Json;
using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// os-brick's connector (<c>{"connector": {"host": …, "initiator": …, "ip": …}}</c>) as the volume actions and the attachments
/// API take it, and the iSCSI <c>connection_info</c> they answer with. The CHAP secret goes only to the volume's owner.
/// </summary>
public static class CinderConnector
{
    /// <summary>The connector's <c>host</c>: the compute host that will connect; a connector without one is a 400.</summary>
    public static string Host(JsonElement connector)
    {
        if (connector.ValueKind != JsonValueKind.Object)
        {
            throw CloudException.Invalid("Invalid input for field/attribute connector. Value: the connector must be an object.");
        }
        return CinderInput.Text(connector, "host") is { Length: > 0 } host
            ? host
            : throw CloudException.Invalid("Invalid input for field/attribute connector. Value: the connector must name its host.");
    }

    /// <summary>The connector under <c>connector</c> of <paramref name="body"/>, else 400.</summary>
    public static JsonElement Of(JsonElement body) => NovaJson.Member(body, "connector");

    /// <summary>nova's and os-brick's iSCSI connection_info.</summary>
    public static object ConnectionInfo(VolumeConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new
        {
            driver_volume_type = "iscsi",
            data = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["target_discovered"] = false,
                ["target_portal"] = connection.TargetPortal,
                ["target_iqn"] = connection.TargetIqn,
                ["target_lun"] = connection.TargetLun,
                ["volume_id"] = connection.VolumeUuid,
                ["auth_method"] = connection.AuthMethod,
                ["auth_username"] = connection.AuthUsername,
                ["auth_password"] = connection.AuthPassword,
                ["access_mode"] = "rw",
                ["encrypted"] = false,
            },
        };
    }
}
