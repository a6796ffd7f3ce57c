namespace Cloud.Modules.Scheduler.Filters;

/// <summary>Passes hosts with the instance's root disk free under disk_allocation_ratio.</summary>
public sealed class DiskFilter : IHostFilter
{
    public bool HostPasses(HostState host, RequestSpec spec) => host.FreeDiskGb >= spec.RootGb;
}
