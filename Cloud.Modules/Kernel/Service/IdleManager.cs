using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Kernel.Service;

/// <summary>
/// The manager of a role that has no RPC methods of its own yet: the service still registers, heartbeats and
/// answers the built-in <see cref="Ping"/> and <see cref="Noop"/>; anything else is refused as unknown.
/// </summary>
public sealed class IdleManager : IRpcEndpoint
{
    public Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken) =>
        throw new UnknownRpcMethodException(message);
}
