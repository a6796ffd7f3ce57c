using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Reliability;
using Cloud.Modules.Volume;

namespace Cloud.Modules.Scheduler;

/// <summary>The only code that knows the scheduler topic.</summary>
/// <remarks>
/// Version history:
/// 1.0 - schedule_run_instance.
/// 1.1 - schedule_create_volume.
/// 1.2 - select_destinations (a call).
/// </remarks>
public sealed class SchedulerRpcClient(IRpcBus bus) : IBuildScheduler, IVolumeScheduler, IMoveScheduler
{
    public const string Topic = "scheduler";

    private static readonly TimeSpan SelectTimeout = TimeSpan.FromSeconds(60);

    public Task ScheduleRunInstanceAsync(RequestContext context, ScheduleRunInstance request, CancellationToken cancellationToken) =>
        bus.CastAsync(context, Kernel.Bus.Topic.Shared(Topic), request, cancellationToken);

    public PendingCast ScheduleRunInstanceCast(ScheduleRunInstance request) => new(Kernel.Bus.Topic.Shared(Topic), request);

    public Task ScheduleCreateVolumeAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) =>
        bus.CastAsync(context, Kernel.Bus.Topic.Shared(Topic), new ScheduleCreateVolume(volumeUuid), cancellationToken);

    public async Task<string?> SelectDestinationAsync(RequestContext context, SelectDestination request, CancellationToken cancellationToken) =>
        (await bus.CallAsync<SelectedDestination>(context, Kernel.Bus.Topic.Shared(Topic), request, SelectTimeout, cancellationToken).ConfigureAwait(false)).Host;
}
