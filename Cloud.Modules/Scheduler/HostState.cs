using Cloud.Modules.Compute;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// One compute host as the scheduler sees it for one placement: its service's liveness, its capacity under the
/// allocation ratios, and what is claimed on it, including what this placement has consumed so far.
/// </summary>
public sealed class HostState(ComputeNode node, string availabilityZone, bool isUp, bool disabled, AllocationRatios ratios)
{
    public string Host => node.Host;

    public string AvailabilityZone => availabilityZone;

    public string HypervisorType => node.HypervisorType;

    /// <summary>The compute service heartbeated within service_down_time.</summary>
    public bool IsUp => isUp;

    /// <summary>An operator disabled the compute service (<c>manage service disable</c>).</summary>
    public bool Disabled => disabled;

    public long UsedRamMb { get; private set; } = node.MemoryMbUsed;

    public long UsedVcpus { get; private set; } = node.VcpusUsed;

    public long UsedDiskGb { get; private set; } = node.LocalGbUsed;

    public long Instances { get; private set; } = node.RunningVms;

    public double FreeRamMb => node.MemoryMb * ratios.Ram - UsedRamMb;

    public double FreeVcpus => node.Vcpus * ratios.Cpu - UsedVcpus;

    public double FreeDiskGb => node.LocalGb * ratios.Disk - UsedDiskGb;

    /// <summary>Takes one instance's resources, so the next instance of the same request sees them gone.</summary>
    public void Consume(RequestSpec spec)
    {
        UsedRamMb += spec.MemoryMb;
        UsedVcpus += spec.Vcpus;
        UsedDiskGb += spec.RootGb;
        Instances++;
    }

    public override string ToString() => $"{Host} ram:{FreeRamMb} vcpus:{FreeVcpus} disk:{FreeDiskGb}";
}
