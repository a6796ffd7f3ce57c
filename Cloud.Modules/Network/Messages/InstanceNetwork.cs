namespace Cloud.Modules.Network;

/// <summary>The instance's NIC on a flat network, as the network role allocated it (nova's network_info).</summary>
/// <param name="Bridge">The host bridge the NIC joins (<c>--flat_network_bridge</c>, e.g. br100).</param>
/// <param name="BridgeInterface">Host interface enslaved to the bridge (<c>--flat_interface</c>), or null.</param>
/// <param name="Address">The fixed IP.</param>
/// <param name="Mac">The NIC's MAC address (52:54:00:…), which dnsmasq maps to the fixed IP.</param>
/// <param name="Cidr">The network, e.g. 10.0.0.0/24.</param>
/// <param name="Netmask">The network's netmask.</param>
/// <param name="Gateway">The network's gateway (the DHCP server's address on the bridge).</param>
/// <param name="Broadcast">The network's broadcast address.</param>
/// <param name="Dns">The DNS server handed out, or null.</param>
/// <param name="Vlan">The project network's VLAN id under VlanManager (the compute host ensures its link), or null.</param>
public sealed record InstanceNetwork(
    string Bridge,
    string? BridgeInterface,
    string Address,
    string Mac,
    string Cidr,
    string Netmask,
    string Gateway,
    string Broadcast,
    string? Dns,
    int? Vlan = null);
