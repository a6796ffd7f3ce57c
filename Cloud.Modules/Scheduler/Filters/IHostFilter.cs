namespace Cloud.Modules.Scheduler.Filters;

/// <summary>A scheduler filter: whether one host can take one more instance of the request.</summary>
public interface IHostFilter
{
    bool HostPasses(HostState host, RequestSpec spec);
}
