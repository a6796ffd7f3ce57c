namespace Cloud.Modules.Compute;

/// <summary>
/// A row of the migrations table: one resize of one instance, from <see cref="SourceCompute"/> to <see cref="DestCompute"/>,
/// with both flavors' resources so either claim can be given back (nova's Migration object).
/// </summary>
/// <remarks>A class with init properties so Dapper can fill it from SQLite's storage types.</remarks>
public sealed class Migration
{
    public long Id { get; init; }

    public string Uuid { get; init; } = "";

    public string InstanceUuid { get; init; } = "";

    public string ProjectId { get; init; } = "";

    public string UserId { get; init; } = "";

    public string SourceCompute { get; init; } = "";

    /// <summary>The host the scheduler chose; null until it has.</summary>
    public string? DestCompute { get; init; }

    public long OldInstanceTypeId { get; init; }

    public long NewInstanceTypeId { get; init; }

    public long OldMemoryMb { get; init; }

    public long OldVcpus { get; init; }

    public long OldRootGb { get; init; }

    public long NewMemoryMb { get; init; }

    public long NewVcpus { get; init; }

    public long NewRootGb { get; init; }

    /// <summary>active or stopped: what confirm and revert return the instance to (nova's old_vm_state).</summary>
    public string OldVmState { get; init; } = VmStates.Active;

    /// <summary><c>resize</c> (another flavor) or <c>migration</c> (the same, another host).</summary>
    public string MigrationType { get; init; } = "resize";

    /// <summary>One of <see cref="MigrationStatuses"/>.</summary>
    public string Status { get; init; } = MigrationStatuses.PreMigrating;

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; init; }

    /// <summary>The resize stays on its host (only the flavor changes).</summary>
    public bool SameHost => DestCompute == SourceCompute;
}
