using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Network;

/// <summary>Gives the instance a fixed IP and a MAC and adds it to its network's DHCP (a call; the reply is <see cref="InstanceNetworkReply"/>).</summary>
/// <param name="InstanceUuid">The instance.</param>
/// <param name="Host">The compute host it will run on.</param>
[RpcMethod("allocate_for_instance")]
public sealed record AllocateForInstance(string InstanceUuid, string Host) : IRpcMessage;

/// <summary>Frees the instance's fixed IP, removes its DHCP entry and releases its lease (a call; the reply is null).</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("deallocate_for_instance")]
public sealed record DeallocateForInstance(string InstanceUuid) : IRpcMessage;

/// <summary>The instance's NIC (a call; the reply is <see cref="InstanceNetworkReply"/>, with null when it has none).</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("get_instance_network")]
public sealed record GetInstanceNetwork(string InstanceUuid) : IRpcMessage;

/// <summary>
/// Sent to <c>network.&lt;host&gt;</c> by the network role that changed a network another host serves: rewrite the
/// network's DHCP hosts from the database, and end the leases of the addresses just freed (a call; the reply is null).
/// </summary>
/// <param name="NetworkId">The network.</param>
/// <param name="Released">Leases to end with dhcp_release.</param>
[RpcMethod("refresh_dhcp")]
public sealed record RefreshDhcp(string NetworkId, IReadOnlyList<ReleasedLease> Released) : IRpcMessage;

/// <summary>An address just freed, whose lease dnsmasq must forget.</summary>
/// <param name="Address">The fixed IP.</param>
/// <param name="Mac">The MAC that held it.</param>
public sealed record ReleasedLease(string Address, string Mac);

/// <summary>The reply carrying an instance's NIC.</summary>
/// <param name="Network">The NIC, or null.</param>
public sealed record InstanceNetworkReply(InstanceNetwork? Network);
