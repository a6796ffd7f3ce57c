using Cloud.Modules.Compute;

namespace Cloud.Modules.Scheduler;

/// <summary>What each instance of a request needs from a host.</summary>
/// <param name="MemoryMb">RAM per instance (MiB).</param>
/// <param name="Vcpus">CPUs per instance.</param>
/// <param name="RootGb">Disk per instance (GiB).</param>
/// <param name="AvailabilityZone">The zone asked for, or null.</param>
/// <param name="ImageProperties">The image's properties, or null when unknown.</param>
public sealed record RequestSpec(long MemoryMb, long Vcpus, long RootGb, string? AvailabilityZone, IReadOnlyDictionary<string, string>? ImageProperties)
{
    /// <summary>The server group the instances join, as this placement round sees it; null for none.</summary>
    public GroupSpread? Group { get; init; }

    public static RequestSpec From(ScheduleRunInstance request) =>
        new(request.MemoryMb, request.Vcpus, request.RootGb, request.AvailabilityZone, request.ImageProperties);
}
