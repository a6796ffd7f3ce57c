using System.Collections.Concurrent;
using Cloud.Modules.Api.OpenStack.Validation;
using P = Cloud.Modules.Api.OpenStack.NovaParameterTypes;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's request schemas per microversion (nova/api/openstack/compute/schemas/servers.py, server_tags.py), built the
/// way nova builds them: each version copies the previous one and changes a property.
/// </summary>
public static class NovaSchemas
{
    private static readonly ConcurrentDictionary<int, JsonSchema> Creates = new();

    private static readonly ConcurrentDictionary<int, JsonSchema> Updates = new();

    /// <summary>A server tag (2.26).</summary>
    public static JsonSchema Tag => P.Tag;

    /// <summary>PUT /servers/{id}/tags.</summary>
    public static JsonSchema ServerTags { get; } = new()
    {
        Types = ["object"],
        Properties = [new("tags", new() { Types = ["array"], Items = P.Tag, MaxItems = Compute.ServerTagsApi.MaxTags })],
        Required = ["tags"],
        AdditionalProperties = false,
    };

    /// <summary>The value of a server's <c>reboot</c> action (servers.py <c>reboot</c>).</summary>
    public static JsonSchema Reboot { get; } = new()
    {
        Types = ["object"],
        Properties = [new("type", new() { Types = ["string"], Enum = ["HARD", "Hard", "hard", "SOFT", "Soft", "soft"] })],
        Required = ["type"],
        AdditionalProperties = false,
    };

    /// <summary>The body of POST /servers at <paramref name="version"/>.</summary>
    public static JsonSchema ServerCreate(Microversion version) => Creates.GetOrAdd(version.Minor, minor => Envelope("server", CreateServer(minor), hints: true));

    /// <summary>The body of PUT /servers/{id} at <paramref name="version"/>.</summary>
    public static JsonSchema ServerUpdate(Microversion version) => Updates.GetOrAdd(version.Minor, minor => Envelope("server", UpdateServer(minor), hints: false));

    private static JsonSchema Envelope(string name, JsonSchema inner, bool hints)
    {
        var hintsSchema = new JsonSchema { Types = ["object"] };
        return new()
        {
            Types = ["object"],
            Properties = hints ? [new(name, inner), new("os:scheduler_hints", hintsSchema), new("OS-SCH-HNT:scheduler_hints", hintsSchema)] : [new(name, inner)],
            Required = [name],
            AdditionalProperties = false,
        };
    }

    private static JsonSchema CreateServer(int minor)
    {
        var bdm = new JsonSchema { Types = ["array"], Items = new() { Types = ["object"] } };
        var networkItem = new JsonSchema
        {
            Types = ["object"],
            Properties = [new("fixed_ip", P.IpAddress), new("port", new() { OneOf = [P.Uuid, new() { Types = ["null"] }] }), new("uuid", new() { Types = ["string"] })],
            AdditionalProperties = false,
        };
        var server = new JsonSchema
        {
            Types = ["object"],
            Properties =
            [
                new("name", P.Name),
                new("imageRef", P.ImageIdOrEmptyString),
                new("flavorRef", P.FlavorRef),
                new("adminPass", P.AdminPassword),
                new("metadata", P.Metadata),
                new("networks", new() { Types = ["array"], Items = networkItem }),
                new("OS-DCF:diskConfig", P.DiskConfig),
                new("accessIPv4", P.AccessIpV4),
                new("accessIPv6", P.AccessIpV6),
                new("personality", P.Personality),
                new("availability_zone", P.Name with { Format = "az_name" }),
                new("block_device_mapping", bdm),
                new("block_device_mapping_v2", bdm),
                new("config_drive", P.Boolean),
                new("key_name", P.Name),
                new("min_count", P.PositiveInteger),
                new("max_count", P.PositiveInteger),
                new("return_reservation_id", P.Boolean),
                new("security_groups", new()
                {
                    Types = ["array"],
                    Items = new() { Types = ["object"], Properties = [new("name", P.Name)], AdditionalProperties = false },
                }),
                new("user_data", new() { Types = ["string"], Format = "base64", MaxLength = 65535 }),
            ],
            Required = ["name", "flavorRef"],
            AdditionalProperties = false,
        };
        if (minor >= 19)
        {
            server = server.WithProperty("description", P.Description);
        }
        if (minor >= 32)
        {
            server = server.WithProperty("networks", new() { Types = ["array"], Items = WithTag(networkItem) });
        }
        if (minor >= 37)
        {
            var uuidNetwork = networkItem.WithProperty("uuid", P.Uuid);
            server = server.WithProperty("networks", new()
            {
                OneOf = [new() { Types = ["array"], Items = minor >= 42 ? WithTag(uuidNetwork) : uuidNetwork }, new() { Types = ["string"], Enum = ["none", "auto"] }],
            }) with { Required = ["name", "flavorRef", "networks"] };
        }
        if (minor >= 52)
        {
            server = server.WithProperty("tags", new() { Types = ["array"], Items = P.Tag, MaxItems = Compute.ServerTagsApi.MaxTags });
        }
        if (minor >= 57)
        {
            server = server.WithoutProperty("personality");
        }
        if (minor >= 63)
        {
            server = server.WithProperty("trusted_image_certificates", P.TrustedCertificates);
        }
        if (minor >= 74)
        {
            server = server.WithProperty("host", P.Fqdn).WithProperty("hypervisor_hostname", P.Fqdn);
        }
        if (minor >= 90)
        {
            server = server.WithProperty("hostname", P.Hostname);
        }
        return server;
    }

    private static JsonSchema WithTag(JsonSchema networkItem) => networkItem.WithProperty("tag", P.Tag);

    private static JsonSchema UpdateServer(int minor)
    {
        var server = new JsonSchema
        {
            Types = ["object"],
            Properties = [new("name", P.Name), new("OS-DCF:diskConfig", P.DiskConfig), new("accessIPv4", P.AccessIpV4), new("accessIPv6", P.AccessIpV6)],
            AdditionalProperties = false,
        };
        if (minor >= 19)
        {
            server = server.WithProperty("description", P.Description);
        }
        if (minor >= 90)
        {
            server = server.WithProperty("hostname", P.Hostname);
        }
        return server;
    }
}
