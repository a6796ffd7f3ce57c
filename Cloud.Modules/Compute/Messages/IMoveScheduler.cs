using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>
/// Where resize and unshelve ask for a host: Compute's port, registered by the scheduler module (its
/// <c>SchedulerRpcClient</c> calls the <c>scheduler</c> topic), as <see cref="IBuildScheduler"/> is for new instances.
/// </summary>
public interface IMoveScheduler
{
    /// <summary>
    /// Picks a host for <paramref name="request"/> and claims its resources there, or returns null when no host passes the
    /// filters (a call: the API answers once it knows).
    /// </summary>
    Task<string?> SelectDestinationAsync(RequestContext context, SelectDestination request, CancellationToken cancellationToken);
}
