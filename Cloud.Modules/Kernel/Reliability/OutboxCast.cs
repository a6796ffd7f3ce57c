using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Kernel.Reliability;

/// <summary>
/// A cast written to <c>rpc_outbox</c> in its caller's transaction, to be sent once that commits
/// (<see cref="RpcOutbox.SendAsync"/>). It keeps the encoding its row holds, so the cast is serialised once.
/// </summary>
/// <param name="Id">The row's id, which is also the message's msg_id.</param>
/// <param name="Topic">Where it goes.</param>
/// <param name="Method">The RPC method, for logs and errors.</param>
/// <param name="Body">The request as <see cref="RpcCodec.EncodeRequest"/> wrote it (no reply address).</param>
public sealed record OutboxCast(string Id, Topic Topic, string Method, byte[] Body);
