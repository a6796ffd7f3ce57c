using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Scheduler.Filters;
using Cloud.Modules.Scheduler.Weighers;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// <c>--scheduler_driver=filter</c> (the default): the hosts that pass every filter of
/// <c>--scheduler_default_filters</c>, weighed by the weighers (free RAM times <c>--ram_weight_multiplier</c>).
/// </summary>
public sealed class FilterScheduler(IReadOnlyList<IHostFilter> filters, IReadOnlyList<IHostWeigher> weighers) : ISchedulerDriver
{
    /// <summary>What every policy checks so its claims can succeed: the host is live, in the zone, and has room.</summary>
    public static readonly IReadOnlyList<IHostFilter> RoomFilters =
        [new ComputeFilter(), new AvailabilityZoneFilter(), new RamFilter(), new CoreFilter(), new DiskFilter()];

    private static readonly IReadOnlyDictionary<string, IHostFilter> Known = new Dictionary<string, IHostFilter>(StringComparer.Ordinal)
    {
        [nameof(AvailabilityZoneFilter)] = new AvailabilityZoneFilter(),
        [nameof(RamFilter)] = new RamFilter(),
        [nameof(CoreFilter)] = new CoreFilter(),
        [nameof(DiskFilter)] = new DiskFilter(),
        [nameof(ComputeFilter)] = new ComputeFilter(),
        [nameof(ImagePropertiesFilter)] = new ImagePropertiesFilter(),
    };

    public IReadOnlyList<IHostFilter> Filters => filters;

    /// <summary>The filters named by <c>--scheduler_default_filters</c>; an unknown name is a flag error.</summary>
    public static IReadOnlyList<IHostFilter> FiltersNamed(string names) =>
        [.. names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => Known.TryGetValue(n, out var f)
            ? f
            : throw FlagError.Of($"--scheduler_default_filters: unknown filter {n} (known: {string.Join(", ", Known.Keys)})"))];

    public HostState Choose(IReadOnlyList<HostState> passing, RequestSpec spec)
    {
        var totals = new double[passing.Count];
        foreach (var weigher in weighers)
        {
            var raw = passing.Select(h => weigher.Weigh(h, spec)).ToArray();
            var (min, max) = (raw.Min(), raw.Max());
            for (var i = 0; i < raw.Length; i++)
            {
                totals[i] += weigher.Multiplier * (max > min ? (raw[i] - min) / (max - min) : 0);
            }
        }
        var best = 0;
        for (var i = 1; i < totals.Length; i++)
        {
            if (totals[i] > totals[best])
            {
                best = i;
            }
        }
        return passing[best];
    }
}
