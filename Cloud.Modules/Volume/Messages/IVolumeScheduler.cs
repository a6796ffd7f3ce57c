using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Volume;

/// <summary>
/// Where the volume API sends a new volume to be placed: Volume's port, which the scheduler module registers (its
/// <c>SchedulerRpcClient</c> casts <c>create_volume</c> to the <c>scheduler</c> topic, whose manager picks a volume host and
/// casts to <c>volume.&lt;host&gt;</c>), so Volume's source never depends on the scheduler.
/// </summary>
public interface IVolumeScheduler
{
    /// <summary>Casts the request: the volume finds a host in its zone, or goes to error with the reason.</summary>
    Task ScheduleCreateVolumeAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken);
}
