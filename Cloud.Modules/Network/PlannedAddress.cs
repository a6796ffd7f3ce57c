namespace Cloud.Modules.Network;

/// <summary>One fixed_ips row of a <see cref="PlannedNetwork"/>.</summary>
/// <param name="Address">The IPv4 address.</param>
/// <param name="Index">Its offset in the network (0 = the network address).</param>
/// <param name="Reserved">Never handed out: network, gateway, broadcast, below dhcp_start.</param>
public sealed record PlannedAddress(string Address, int Index, bool Reserved);
