
namespace Cloud.Modules.Network;

/// <summary>A row of networks: one network (flat, or a project's VLAN), its bridge and the host that serves its DHCP.</summary>
public sealed class NetworkRecord
{
    public string Id { get; init; } = "";

    public string Label { get; init; } = "";

    public string Cidr { get; init; } = "";

    public string Netmask { get; init; } = "";

    public string Gateway { get; init; } = "";

    public string Broadcast { get; init; } = "";

    public string? Dns1 { get; init; }

    public string Bridge { get; init; } = "";

    public string? BridgeInterface { get; init; }

    public string DhcpStart { get; init; } = "";

    public string? ProjectId { get; init; }

    /// <summary>VlanManager's VLAN id (the VNI over VXLAN); null for flat networks.</summary>
    public int? Vlan { get; init; }

    /// <summary>The network host running its dnsmasq; null until a network role claims it.</summary>
    public string? Host { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>The NIC an instance gets on this network.</summary>
    public InstanceNetwork NicFor(FixedIp ip) =>
        new(Bridge, BridgeInterface, ip.Address, ip.MacAddress ?? "", Cidr, Netmask, Gateway, Broadcast, Dns1, Vlan);
}
