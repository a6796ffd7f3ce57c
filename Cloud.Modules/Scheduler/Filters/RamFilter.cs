namespace Cloud.Modules.Scheduler.Filters;

/// <summary>Passes hosts with the instance's RAM free under ram_allocation_ratio.</summary>
public sealed class RamFilter : IHostFilter
{
    public bool HostPasses(HostState host, RequestSpec spec) => host.FreeRamMb >= spec.MemoryMb;
}
