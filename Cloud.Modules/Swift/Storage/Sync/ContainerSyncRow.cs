namespace Cloud.Modules.Swift.Storage.Sync;

/// <summary>One row of a container database as container sync reads it (swift's get_items_since with the ROWID).</summary>
internal sealed class ContainerSyncRow
{
    public long RowId { get; init; }

    public string Name { get; init; } = "";

    public string CreatedAt { get; init; } = "";

    public long Deleted { get; init; }
}

/// <summary>The two sync points of a container database.</summary>
internal sealed class ContainerSyncPoints
{
    public long Point1 { get; init; }

    public long Point2 { get; init; }
}
