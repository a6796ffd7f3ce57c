namespace Cloud.Modules.Scheduler;

/// <summary>Places every instance of a request, one after the other, each seeing what the previous ones consumed.</summary>
public static class HostPlacer
{
    /// <summary>A host per instance, or null when some instance fits nowhere (then none is placed).</summary>
    public static IReadOnlyList<HostState>? Place(ISchedulerDriver driver, IReadOnlyList<HostState> hosts, RequestSpec spec, int count)
    {
        var chosen = new List<HostState>(count);
        for (var i = 0; i < count; i++)
        {
            var passing = hosts.Where(h => driver.Filters.All(f => f.HostPasses(h, spec))).ToList();
            if (passing.Count == 0)
            {
                return null;
            }
            var host = driver.Choose(passing, spec);
            host.Consume(spec);
            chosen.Add(host);
        }
        return chosen;
    }
}
