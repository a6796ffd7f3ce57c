using Cloud.Modules.Scheduler.Filters;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// A scheduling policy (<c>--scheduler_driver</c>): which filters a host must pass, and which of the passing hosts
/// takes the next instance. <see cref="HostPlacer"/> runs it once per instance of a request.
/// </summary>
public interface ISchedulerDriver
{
    IReadOnlyList<IHostFilter> Filters { get; }

    /// <summary>The host for the next instance among <paramref name="passing"/> (never empty).</summary>
    HostState Choose(IReadOnlyList<HostState> passing, RequestSpec spec);
}
