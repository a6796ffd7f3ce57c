using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Cloud.Modules.Api.Metadata.MetadataVersions;

namespace Cloud.Modules.Api.Metadata;

/// <summary>
/// The OpenStack metadata tree of one guest at one version (<c>/openstack/latest/meta_data.json</c>,
/// <c>user_data</c>, <c>vendor_data.json</c>, <c>network_data.json</c>), with the files and fields each version
/// added as nova serves them. No <c>password</c>: cloudd keeps no instance passwords.
/// </summary>
public static class OpenStackMetadataTree
{
    /// <summary>The version directory; null for an unknown version.</summary>
    public static MetadataNode? For(GuestFacts guest, string requestedVersion)
    {
        ArgumentNullException.ThrowIfNull(guest);
        if (Resolve(OpenStackVersions, requestedVersion) is not { } version)
        {
            return null;
        }
        var files = new Dictionary<string, MetadataNode>(StringComparer.Ordinal) { ["meta_data.json"] = Json(MetaData(guest, version)) };
        if (guest.UserData is { } userData)
        {
            files["user_data"] = MetadataNode.Bytes(userData, "application/octet-stream");
        }
        if (AtLeast(OpenStackVersions, version, Havana))
        {
            files["vendor_data.json"] = Json(new JsonObject());
        }
        if (AtLeast(OpenStackVersions, version, Liberty))
        {
            files["network_data.json"] = Json(NetworkData(guest));
        }
        return MetadataNode.Directory(files);
    }

    private static JsonObject MetaData(GuestFacts guest, string version)
    {
        var instance = guest.Instance;
        var meta = new JsonObject();
        foreach (var (item, value) in guest.Guest.Metadata)
        {
            meta[item] = value;
        }
        var data = new JsonObject { ["uuid"] = instance.Uuid, ["meta"] = meta };
        if (guest.PublicKey is var (name, key))
        {
            data["public_keys"] = new JsonObject { [name] = key };
            data["keys"] = new JsonArray(new JsonObject { ["name"] = name, ["type"] = "ssh", ["data"] = key });
        }
        data["hostname"] = guest.Hostname;
        data["name"] = instance.DisplayName;
        data["launch_index"] = instance.LaunchIndex;
        data["availability_zone"] = guest.AvailabilityZone;
        if (AtLeast(OpenStackVersions, version, Grizzly))
        {
            data["random_seed"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(512));
        }
        if (AtLeast(OpenStackVersions, version, Liberty))
        {
            data["project_id"] = instance.ProjectId;
        }
        if (AtLeast(OpenStackVersions, version, NewtonOne))
        {
            data["devices"] = new JsonArray();
        }
        return data;
    }

    /// <summary>nova's network_data.json for the guest's one NIC (the same as on its config drive).</summary>
    private static JsonObject NetworkData(GuestFacts guest) => Network.NetworkDataJson.Build(guest.Guest.Network, guest.Guest.NetworkId);

    private static MetadataNode Json(JsonObject value) => MetadataNode.Bytes(JsonSerializer.SerializeToUtf8Bytes(value), MetadataNode.JsonType);
}
