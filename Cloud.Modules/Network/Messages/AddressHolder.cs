namespace Cloud.Modules.Network;

/// <summary>The instance holding an allocated fixed IP, with its NIC (the metadata service's only way to know a guest).</summary>
/// <param name="InstanceUuid">The instance.</param>
/// <param name="NetworkId">The network of the address.</param>
/// <param name="Nic">The instance's NIC on that network.</param>
public sealed record AddressHolder(string InstanceUuid, string NetworkId, InstanceNetwork Nic);
