namespace Cloud.Modules.Compute;

/// <summary>How far a host's physical resources may be overcommitted (nova's *_allocation_ratio flags).</summary>
/// <param name="Cpu">Virtual CPUs per physical CPU.</param>
/// <param name="Ram">Instance RAM per MiB of host RAM.</param>
/// <param name="Disk">Instance disk per GiB of host disk.</param>
public sealed record AllocationRatios(double Cpu, double Ram, double Disk);
