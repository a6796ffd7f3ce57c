namespace Cloud.Modules.Compute;

/// <summary>One instance's resources, claimed on one host.</summary>
/// <param name="Uuid">The instance.</param>
/// <param name="Host">The chosen compute host.</param>
/// <param name="MemoryMb">RAM to claim (MiB).</param>
/// <param name="Vcpus">CPUs to claim.</param>
/// <param name="RootGb">Disk to claim (GiB).</param>
public sealed record Placement(string Uuid, string Host, long MemoryMb, long Vcpus, long RootGb);
