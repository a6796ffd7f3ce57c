namespace Cloud.Modules.Network.Drivers;

/// <summary>One line of dnsmasq's hosts file: this MAC gets this address and name.</summary>
/// <param name="Mac">The instance's MAC.</param>
/// <param name="Hostname">Its hostname.</param>
/// <param name="Address">Its fixed IP.</param>
public sealed record DhcpHost(string Mac, string Hostname, string Address);
