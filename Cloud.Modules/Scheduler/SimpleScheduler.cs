using Cloud.Modules.Scheduler.Filters;

namespace Cloud.Modules.Scheduler;

/// <summary><c>--scheduler_driver=simple</c> (the seed's): the live host with room that has the fewest cores in use.</summary>
public sealed class SimpleScheduler : ISchedulerDriver
{
    public IReadOnlyList<IHostFilter> Filters { get; } = FilterScheduler.RoomFilters;

    public HostState Choose(IReadOnlyList<HostState> passing, RequestSpec spec) =>
        passing.OrderBy(h => h.UsedVcpus).ThenBy(h => h.Host, StringComparer.Ordinal).First();
}
