using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Kernel.Service;

/// <summary>Asks a service who it is and what it has received (answered by every service; <c>cloudd manage rpc ping</c>).</summary>
[RpcMethod("ping")]
public sealed record Ping : IRpcMessage;

/// <summary>The answer to <see cref="Ping"/>.</summary>
/// <param name="Host">The service's host.</param>
/// <param name="Binary">cloudd-&lt;role&gt;.</param>
/// <param name="ProcessId">The operating-system process.</param>
/// <param name="StartedAt">When the service started (UTC).</param>
/// <param name="Received">Messages handled since start, by method.</param>
/// <param name="DistinctNoops">Distinct (sender, sequence) pairs among the noops received.</param>
public sealed record Pong(string Host, string Binary, int ProcessId, DateTime StartedAt, IReadOnlyDictionary<string, long> Received, long DistinctNoops);

/// <summary>
/// A message that does nothing but get counted, so an operator can check delivery end to end
/// (<c>cloudd manage rpc cast</c>) and benchmarks can measure the bus.
/// </summary>
/// <param name="Sender">Who sent it (any string unique to the sender).</param>
/// <param name="Sequence">The sender's running number.</param>
[RpcMethod("noop")]
public sealed record Noop(string Sender, long Sequence) : IRpcMessage;
