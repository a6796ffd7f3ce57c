namespace Cloud.Modules.Volume;

/// <summary>A snapshot of a volume (one row of <c>snapshots</c>); EC2 id <c>snap-%08x</c>, backing name <c>snapshot-%08x</c>.</summary>
/// <remarks>A class with init properties so Dapper can fill it from SQLite's storage types.</remarks>
public sealed class SnapshotInfo
{
    public long Id { get; init; }

    public string Uuid { get; init; } = "";

    public string ProjectId { get; init; } = "";

    public string UserId { get; init; } = "";

    /// <summary>The volume it was taken of, by uuid.</summary>
    public string VolumeUuid { get; init; } = "";

    /// <summary>The volume's integer id (EC2 shows <c>vol-%08x</c>).</summary>
    public long VolumeId { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The volume's size when the snapshot was taken.</summary>
    public long SizeGb { get; init; }

    /// <summary>One of <see cref="SnapshotStatuses"/>.</summary>
    public string Status { get; init; } = SnapshotStatuses.Creating;

    public string? StatusReason { get; init; }

    /// <summary>"0%" while creating, "100%" once available (EC2's progress).</summary>
    public string Progress { get; init; } = "0%";

    /// <summary>The volume host holding it (the volume's host).</summary>
    public string? Host { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? UpdatedAt { get; init; }
}
