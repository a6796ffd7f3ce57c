using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Network;

/// <summary>
/// Sent to <c>network.&lt;host&gt;</c> after a floating IP changed there: bring the host's floating addresses and NAT
/// rules in line with the database (add what is missing, remove what no longer belongs; a call, the reply is null).
/// </summary>
[RpcMethod("sync_floating_ips")]
public sealed record SyncFloatingIps : IRpcMessage;
