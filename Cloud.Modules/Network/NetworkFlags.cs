using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Network;

/// <summary>Flags of the network role: the manager, address ranges, bridges and DHCP.</summary>
public sealed class NetworkFlags
{
    /// <summary>
    /// Network manager: FlatManager, FlatDHCPManager or VlanManager (nova class paths accepted). Default: FlatDHCPManager,
    /// not nova's VlanManager: it is the only manager this build has, and VLANs need 802.1q, which these hosts lack.
    /// </summary>
    [ConfigurationKeyName("network_manager")]
    [Description("Network manager: FlatManager, FlatDHCPManager or VlanManager (nova.network.manager.* accepted); only FlatDHCPManager is available yet.")]
    public string NetworkManager { get; set; } = "nova.network.manager.FlatDHCPManager";

    /// <summary>The range all fixed IPs come from. Default: 10.0.0.0/8.</summary>
    [ConfigurationKeyName("fixed_range")]
    [Description("CIDR all fixed IPs come from.")]
    public string FixedRange { get; set; } = "10.0.0.0/8";

    /// <summary>Addresses per network. Default: 256.</summary>
    [ConfigurationKeyName("network_size")]
    [Description("Number of addresses in each network.")]
    public int NetworkSize { get; set; } = 256;

    /// <summary>Number of networks to create. Default: 1.</summary>
    [ConfigurationKeyName("num_networks")]
    [Description("Number of networks to create.")]
    public int NumNetworks { get; set; } = 1;

    /// <summary>First VLAN id for VlanManager. Default: 100.</summary>
    [ConfigurationKeyName("vlan_start")]
    [Description("First VLAN id used by VlanManager.")]
    public int VlanStart { get; set; } = 100;

    /// <summary>Program dnsmasq calls on lease changes. Default: cloudd-dhcpbridge.</summary>
    [ConfigurationKeyName("dhcpbridge")]
    [Description("Program dnsmasq runs on DHCP lease changes.")]
    public string DhcpBridge { get; set; } = "/usr/bin/cloudd-dhcpbridge";

    /// <summary>Flag file the DHCP bridge reads. Default: /etc/cloudd/cloudd.conf.</summary>
    [ConfigurationKeyName("dhcpbridge_flagfile")]
    [Description("Flag file the DHCP bridge program reads.")]
    public string DhcpBridgeFlagFile { get; set; } = "/etc/cloudd/cloudd.conf";

    /// <summary>Domain handed to instances by DHCP. Default: novalocal.</summary>
    [ConfigurationKeyName("dhcp_domain")]
    [Description("Domain name handed to instances by DHCP.")]
    public string DhcpDomain { get; set; } = "novalocal";

    /// <summary>First address FlatDHCP hands out. Default: 10.0.0.2.</summary>
    [ConfigurationKeyName("flat_network_dhcp_start")]
    [Description("First address FlatDHCPManager hands out.")]
    public string FlatNetworkDhcpStart { get; set; } = "10.0.0.2";

    /// <summary>Write the network configuration into the image (Flat mode). Default: false.</summary>
    [ConfigurationKeyName("flat_injected")]
    [Description("Inject the network configuration into the instance's disk (FlatManager).")]
    public bool FlatInjected { get; set; }

    /// <summary>Bridge of flat networks. Default: br100.</summary>
    [ConfigurationKeyName("flat_network_bridge")]
    [Description("Bridge instances of flat networks are attached to.")]
    public string FlatNetworkBridge { get; set; } = "br100";

    /// <summary>Interface bridged into flat networks; empty for none. Default: empty.</summary>
    [ConfigurationKeyName("flat_interface")]
    [Description("Host interface added to the flat network bridge; empty: none.")]
    public string FlatInterface { get; set; } = "";

    /// <summary>Interface carrying floating IPs. Default: eth0.</summary>
    [ConfigurationKeyName("public_interface")]
    [Description("Interface floating IPs are bound to.")]
    public string PublicInterface { get; set; } = "eth0";

    /// <summary>Prefix of every host command of the network driver (nova's root_helper), e.g. sudo; empty: none. Default: empty.</summary>
    [ConfigurationKeyName("root_helper")]
    [Description("Command prefix for host network commands (ip, iptables, dnsmasq), e.g. 'sudo' or 'ip netns exec NS'; empty: run them directly.")]
    public string RootHelper { get; set; } = "";
}
