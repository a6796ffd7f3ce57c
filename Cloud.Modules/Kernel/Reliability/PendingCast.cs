using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Kernel.Reliability;

/// <summary>A cast described rather than sent: what an <see cref="RpcOutbox"/> stores with the rows it is about.</summary>
/// <param name="Topic">Where it goes (the module's <c>XxxRpcClient</c> knows).</param>
/// <param name="Message">The message.</param>
public sealed record PendingCast(Topic Topic, IRpcMessage Message);
