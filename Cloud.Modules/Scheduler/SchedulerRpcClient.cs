using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Volume;

namespace Cloud.Modules.Scheduler;

/// <summary>The only code that knows the scheduler topic.</summary>
/// <remarks>
/// Version history:
/// 1.0 - schedule_run_instance.
/// 1.1 - schedule_create_volume.
/// </remarks>
public sealed class SchedulerRpcClient(IRpcBus bus) : IBuildScheduler, IVolumeScheduler
{
    public const string Topic = "scheduler";

    public Task ScheduleRunInstanceAsync(RequestContext context, ScheduleRunInstance request, CancellationToken cancellationToken) =>
        bus.CastAsync(context, Kernel.Bus.Topic.Shared(Topic), request, cancellationToken);

    public Task ScheduleCreateVolumeAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) =>
        bus.CastAsync(context, Kernel.Bus.Topic.Shared(Topic), new ScheduleCreateVolume(volumeUuid), cancellationToken);
}
