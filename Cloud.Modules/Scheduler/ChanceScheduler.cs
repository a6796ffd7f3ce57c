using Cloud.Modules.Scheduler.Filters;

namespace Cloud.Modules.Scheduler;

/// <summary><c>--scheduler_driver=chance</c>: a random host among the live ones with room.</summary>
public sealed class ChanceScheduler : ISchedulerDriver
{
    public IReadOnlyList<IHostFilter> Filters { get; } = FilterScheduler.RoomFilters;

    public HostState Choose(IReadOnlyList<HostState> passing, RequestSpec spec) => passing[Random.Shared.Next(passing.Count)];
}
