namespace Cloud.Modules.Scheduler.Filters;

/// <summary>Passes hosts with the instance's CPUs free under cpu_allocation_ratio.</summary>
public sealed class CoreFilter : IHostFilter
{
    public bool HostPasses(HostState host, RequestSpec spec) => host.FreeVcpus >= spec.Vcpus;
}
