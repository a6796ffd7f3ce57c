using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Kernel.Bus;

/// <summary>
/// The receiving side of a topic (a manager). Dispatch is an explicit <c>switch</c> over message types;
/// the return value is the call's reply (ignored for casts). Unknown messages throw <see cref="UnknownRpcMethodException"/>.
/// </summary>
public interface IRpcEndpoint
{
    Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken);
}
