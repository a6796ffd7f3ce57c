namespace Cloud.Modules.Compute;

/// <summary>
/// A compute host's capacity as its manager reports it with each heartbeat, and the resources claimed on it
/// (the <c>*Used</c> columns move only with scheduler claims and terminations, never with a report).
/// </summary>
public sealed class ComputeNode
{
    public string Host { get; init; } = "";

    public string HypervisorType { get; init; } = "";

    public long Vcpus { get; init; }

    public long MemoryMb { get; init; }

    public long LocalGb { get; init; }

    public long VcpusUsed { get; init; }

    public long MemoryMbUsed { get; init; }

    public long LocalGbUsed { get; init; }

    public long RunningVms { get; init; }

    public DateTime UpdatedAt { get; init; }
}
