using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Compute;

/// <summary>
/// Picks and claims a host for an instance that moves (nova's select_destinations: a resize, an unshelve); the instance's
/// row is not changed. The reply is <see cref="SelectedDestination"/>.
/// </summary>
/// <param name="InstanceUuid">The instance.</param>
/// <param name="MemoryMb">RAM to claim (MiB).</param>
/// <param name="Vcpus">CPUs to claim.</param>
/// <param name="RootGb">Disk to claim (GiB).</param>
/// <param name="AvailabilityZone">The instance's zone, or null for any.</param>
/// <param name="ExcludedHost">A host not to choose (the source of a resize without --allow_resize_to_same_host), or null.</param>
[RpcMethod("select_destinations")]
public sealed record SelectDestination(string InstanceUuid, long MemoryMb, long Vcpus, long RootGb, string? AvailabilityZone, string? ExcludedHost) : IRpcMessage;
