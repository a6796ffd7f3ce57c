using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Reliability;

namespace Cloud.Modules.Compute;

/// <summary>
/// Where the compute API sends new instances to be placed: Compute's port, which the scheduler module registers
/// (its <c>SchedulerRpcClient</c> casts to the <c>scheduler</c> topic), so Compute's source never depends on the scheduler.
/// </summary>
public interface IBuildScheduler
{
    /// <summary>Casts the request: every instance in it finds a host, or all go to ERROR.</summary>
    Task ScheduleRunInstanceAsync(RequestContext context, ScheduleRunInstance request, CancellationToken cancellationToken);

    /// <summary>The same cast, described for an <see cref="RpcOutbox"/> to store with the new instances and send after their commit.</summary>
    PendingCast ScheduleRunInstanceCast(ScheduleRunInstance request);
}
