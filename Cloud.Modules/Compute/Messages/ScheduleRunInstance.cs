using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Compute;

/// <summary>
/// Places the instances of one request (cast to <c>scheduler</c> by the compute API): all of them find a host
/// and are claimed together, or all go to ERROR with "No valid host was found".
/// </summary>
/// <param name="InstanceUuids">The request's instances, in launch order.</param>
/// <param name="MemoryMb">RAM per instance (MiB).</param>
/// <param name="Vcpus">CPUs per instance.</param>
/// <param name="RootGb">Root disk per instance (GiB).</param>
/// <param name="AvailabilityZone">The zone asked for, or null for any.</param>
/// <param name="ImageProperties">The image's properties (architecture, hypervisor_type, ...), or null when unknown.</param>
[RpcMethod("schedule_run_instance")]
public sealed record ScheduleRunInstance(
    IReadOnlyList<string> InstanceUuids,
    long MemoryMb,
    long Vcpus,
    long RootGb,
    string? AvailabilityZone,
    IReadOnlyDictionary<string, string>? ImageProperties) : IRpcMessage
{
    /// <summary>The uuid of the server group the instances joined, whose policy the placement honours; null for none.</summary>
    public string? ServerGroup { get; init; }
}
