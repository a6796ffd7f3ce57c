using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Network;

/// <summary>Flags of the network role: the manager, address ranges, bridges and DHCP.</summary>
public sealed class NetworkFlags : IValidatedFlags
{
    [ConfigurationKeyName("network_manager")]
    [Description("Network manager: FlatManager, FlatDHCPManager or VlanManager (nova.network.manager.* accepted); only FlatDHCPManager is available yet, hence the default rather than nova's VlanManager (VLANs also need 802.1q).")]
    public string NetworkManager { get; set; } = "nova.network.manager.FlatDHCPManager";

    [ConfigurationKeyName("fixed_range")]
    [Description("CIDR all fixed IPs come from.")]
    public string FixedRange { get; set; } = "10.0.0.0/8";

    [ConfigurationKeyName("network_size")]
    [Description("Number of addresses in each network.")]
    public int NetworkSize { get; set; } = 256;

    [ConfigurationKeyName("num_networks")]
    [Description("Number of networks to create.")]
    public int NumNetworks { get; set; } = 1;

    [ConfigurationKeyName("vlan_start")]
    [Description("First VLAN id used by VlanManager.")]
    public int VlanStart { get; set; } = 100;

    [ConfigurationKeyName("dhcpbridge")]
    [Description("Program dnsmasq runs on DHCP lease changes (its --dhcp-script), called as PROGRAM add|old|del MAC IP [HOSTNAME]; empty or missing: this cloudd's own 'dhcpbridge' command, through a wrapper the network role writes to $state_path/networks/dhcpbridge.")]
    public string DhcpBridge { get; set; } = "";

    [ConfigurationKeyName("dhcpbridge_flagfile")]
    [Description("Flag file the DHCP bridge program reads (passed to it as $FLAGFILE, as nova did); it needs --sql_connection.")]
    public string DhcpBridgeFlagFile { get; set; } = "/etc/cloudd/cloudd.conf";

    [ConfigurationKeyName("dhcp_domain")]
    [Description("Domain name handed to instances by DHCP.")]
    public string DhcpDomain { get; set; } = "novalocal";

    [ConfigurationKeyName("flat_network_dhcp_start")]
    [Description("First address FlatDHCPManager hands out.")]
    public string FlatNetworkDhcpStart { get; set; } = "10.0.0.2";

    [ConfigurationKeyName("flat_injected")]
    [Description("Inject the network configuration into the instance's disk (FlatManager).")]
    public bool FlatInjected { get; set; }

    [ConfigurationKeyName("flat_network_bridge")]
    [Description("Bridge instances of flat networks are attached to.")]
    public string FlatNetworkBridge { get; set; } = "br100";

    [ConfigurationKeyName("flat_interface")]
    [Description("Host interface added to the flat network bridge; empty: none.")]
    public string FlatInterface { get; set; } = "";

    [ConfigurationKeyName("public_interface")]
    [Description("Interface floating IPs are bound to.")]
    public string PublicInterface { get; set; } = "eth0";

    [ConfigurationKeyName("root_helper")]
    [Description("Command prefix for host network commands (ip, iptables, dnsmasq), e.g. 'sudo' or 'ip netns exec NS'; empty: run them directly.")]
    public string RootHelper { get; set; } = "";

    [ConfigurationKeyName("default_floating_pool")]
    [Description("Pool of 'manage floating create' without --pool, and of allocations that name none.")]
    public string DefaultFloatingPool { get; set; } = "nova";

    [ConfigurationKeyName("auto_assign_floating_ip")]
    [Description("Give every new instance a floating IP of the default pool (released when it terminates).")]
    public bool AutoAssignFloatingIp { get; set; }

    [ConfigurationKeyName("vlan_driver")]
    [Description("VlanManager's tagged link: 8021q (an 802.1q interface on --vlan_interface) or vxlan (VNI = the VLAN id, peers from the services table); empty: 8021q where the kernel has it, else vxlan.")]
    public string VlanDriver { get; set; } = "";

    [ConfigurationKeyName("vlan_interface")]
    [Description("Interface carrying VlanManager's tagged traffic (802.1q parent, or the VXLAN underlay); empty: none (vxlan routes by --my_ip).")]
    public string VlanInterface { get; set; } = "";
    [ConfigurationKeyName("fixed_ip_disassociate_timeout")]
    [Description("Seconds after which a deallocated fixed IP whose lease never ended (no dnsmasq 'del') returns to the pool; never while leased. Default 600, as nova.")]
    public int FixedIpDisassociateTimeout { get; set; } = 600;

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        _ = NetworkManagers.Require(NetworkManager);
        FlagError.Require(NetworkSize >= 4, "network_size", NetworkSize, "must be at least 4 (network, gateway, broadcast and one instance)");
        FlagError.Require(NumNetworks >= 1, "num_networks", NumNetworks, "must be at least 1");
        FlagError.Require(FixedIpDisassociateTimeout >= 0, "fixed_ip_disassociate_timeout", FixedIpDisassociateTimeout, "must be 0 or more seconds");
        FlagError.Require(VlanStart is >= 1 and <= 4094, "vlan_start", VlanStart, "must be a VLAN id (1-4094)");
        FlagError.Require(VlanDriver is "" or "8021q" or "vxlan", "vlan_driver", VlanDriver, "use 8021q or vxlan (or leave it empty to detect)");
    }
}
