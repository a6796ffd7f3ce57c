namespace Cloud.Modules.Scheduler;

/// <summary>Places every instance of a request, one after the other, each seeing what the previous ones consumed (and, in a server group, where they went).</summary>
public static class HostPlacer
{
    /// <summary>A host per instance, or null when some instance fits nowhere (then none is placed and the hosts are as before).</summary>
    public static IReadOnlyList<HostState>? Place(ISchedulerDriver driver, IReadOnlyList<HostState> hosts, RequestSpec spec, int count)
    {
        var chosen = new List<HostState>(count);
        for (var i = 0; i < count; i++)
        {
            var passing = hosts.Where(h => driver.Filters.All(f => f.HostPasses(h, spec)) && (spec.Group?.Allows(h) ?? true)).ToList();
            if (passing.Count == 0)
            {
                chosen.ForEach(h => Release(h, spec));
                return null;
            }
            var host = driver.Choose(spec.Group?.Preferred(passing) ?? passing, spec);
            host.Consume(spec);
            spec.Group?.Add(host);
            chosen.Add(host);
        }
        return chosen;
    }

    private static void Release(HostState host, RequestSpec spec)
    {
        host.Release(spec);
        spec.Group?.Remove(host);
    }
}
