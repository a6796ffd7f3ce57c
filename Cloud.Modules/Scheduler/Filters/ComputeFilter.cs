namespace Cloud.Modules.Scheduler.Filters;

/// <summary>Passes enabled hosts whose compute service heartbeated within service_down_time.</summary>
public sealed class ComputeFilter : IHostFilter
{
    public bool HostPasses(HostState host, RequestSpec spec) => !host.Disabled && host.IsUp;
}
