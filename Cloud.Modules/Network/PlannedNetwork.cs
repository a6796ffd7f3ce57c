namespace Cloud.Modules.Network;

/// <summary>One network of a <see cref="NetworkPlan"/>, before it is written.</summary>
/// <param name="Cidr">e.g. 10.0.0.0/24.</param>
/// <param name="Netmask">e.g. 255.255.255.0.</param>
/// <param name="Gateway">The first host address.</param>
/// <param name="Broadcast">The last address.</param>
/// <param name="DhcpStart">The first address handed out.</param>
/// <param name="Addresses">Every address of the network, in order.</param>
public sealed record PlannedNetwork(string Cidr, string Netmask, string Gateway, string Broadcast, string DhcpStart, IReadOnlyList<PlannedAddress> Addresses);
