namespace Cloud.Modules.Scheduler.Filters;

/// <summary>Passes hosts in the zone the request names; any host when it names none.</summary>
public sealed class AvailabilityZoneFilter : IHostFilter
{
    public bool HostPasses(HostState host, RequestSpec spec) =>
        string.IsNullOrEmpty(spec.AvailabilityZone) || string.Equals(host.AvailabilityZone, spec.AvailabilityZone, StringComparison.Ordinal);
}
