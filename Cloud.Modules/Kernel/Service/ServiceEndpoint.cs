using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Logging;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Kernel.Service;

/// <summary>
/// What a service puts on the bus: answers <see cref="Ping"/> and <see cref="Noop"/> itself, counts every message,
/// and hands the rest to the role's manager inside the role's log scope.
/// </summary>
public sealed class ServiceEndpoint(string role, string host, IRpcEndpoint manager, ILogger logger) : IRpcEndpoint
{
    public ServiceStatistics Statistics { get; } = new();

    public async Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(LogScopes.Role(role));
        Statistics.Count(RpcMessageRegistry.MethodOf(message.GetType()));
        switch (message)
        {
            case Ping:
                return new Pong(host, ServiceGroup.BinaryOf(role), Environment.ProcessId, Statistics.StartedAt, Statistics.Received, Statistics.DistinctNoops);
            case Noop noop:
                Statistics.CountNoop(noop);
                return null;
            default:
                return await manager.DispatchAsync(context, message, cancellationToken).ConfigureAwait(false);
        }
    }
}
