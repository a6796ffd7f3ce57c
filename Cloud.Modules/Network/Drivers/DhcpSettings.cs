namespace Cloud.Modules.Network.Drivers;

/// <summary>What dnsmasq needs to know about one flat network.</summary>
/// <param name="Bridge">The bridge it serves, e.g. br100.</param>
/// <param name="Gateway">The bridge's address: dnsmasq listens there and hands it out as the router.</param>
/// <param name="Netmask">The network's netmask.</param>
/// <param name="DhcpStart">The first address of the static range.</param>
/// <param name="Dns">DNS server handed out, or null for none.</param>
/// <param name="Domain">The DHCP domain (<c>--dhcp_domain</c>).</param>
/// <param name="LeaseScript">dnsmasq's <c>--dhcp-script</c> (the <c>--dhcpbridge</c>), or null for none.</param>
/// <param name="LeaseScriptFlagFile">Given to the lease script as <c>$FLAGFILE</c> (<c>--dhcpbridge_flagfile</c>).</param>
public sealed record DhcpSettings(string Bridge, string Gateway, string Netmask, string DhcpStart, string? Dns, string Domain,
    string? LeaseScript = null, string? LeaseScriptFlagFile = null);
