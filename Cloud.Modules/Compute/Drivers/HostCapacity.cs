namespace Cloud.Modules.Compute.Drivers;

/// <summary>A host's resources for instances.</summary>
/// <param name="Vcpus">CPUs the host offers (before the scheduler's allocation ratio).</param>
/// <param name="MemoryMb">RAM in MiB.</param>
/// <param name="LocalGb">Disk for instances in GiB.</param>
/// <param name="RunningVms">Domains now running.</param>
public sealed record HostCapacity(long Vcpus, long MemoryMb, long LocalGb, long RunningVms);
