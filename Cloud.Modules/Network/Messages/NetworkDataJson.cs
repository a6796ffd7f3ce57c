using System.Text.Json.Nodes;

namespace Cloud.Modules.Network;

/// <summary>
/// OpenStack's <c>network_data.json</c> (metadata service and config drive alike) for an instance's one NIC: its link
/// (MAC), a static IPv4 network with address, netmask and default route, and the DNS service. How a guest without DHCP
/// (FlatManager) learns its address.
/// </summary>
public static class NetworkDataJson
{
    private const string Link = "interface0";

    /// <param name="nic">The NIC.</param>
    /// <param name="networkId">The network's id as the guest is told it.</param>
    public static JsonObject Build(InstanceNetwork nic, string networkId)
    {
        ArgumentNullException.ThrowIfNull(nic);
        var services = new JsonArray();
        if (nic.Dns is { Length: > 0 } dns)
        {
            services.Add(new JsonObject { ["type"] = "dns", ["address"] = dns });
        }
        var network = new JsonObject
        {
            ["id"] = "network0",
            ["type"] = "ipv4",
            ["link"] = Link,
            ["ip_address"] = nic.Address,
            ["netmask"] = nic.Netmask,
            ["routes"] = new JsonArray(new JsonObject { ["network"] = "0.0.0.0", ["netmask"] = "0.0.0.0", ["gateway"] = nic.Gateway }),
            ["network_id"] = networkId,
            ["services"] = services.DeepClone(),
        };
        return new JsonObject
        {
            ["links"] = new JsonArray(new JsonObject { ["id"] = Link, ["type"] = "bridge", ["mtu"] = null, ["ethernet_mac_address"] = nic.Mac }),
            ["networks"] = new JsonArray(network),
            ["services"] = services,
        };
    }
}
