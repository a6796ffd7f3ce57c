using Cloud.Modules.Swift.Storage.Db;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>What differs between container databases and account databases, for their servers and their replication: where they live and their SQL.</summary>
/// <param name="Name">container or account.</param>
/// <param name="DirectoryName">The directory under a device: containers or accounts.</param>
/// <param name="Schema">The database's schema (idempotent).</param>
/// <param name="Info">The info row's replicated columns.</param>
/// <param name="Rows">Every row, deleted ones too, ordered by name.</param>
/// <param name="InsertInfo">Creates the info row of a database a peer lacked.</param>
/// <param name="MergeInfo">Merges a peer's info row: timestamps only move forward.</param>
/// <param name="MergeRow">Merges one of a peer's rows: the newer timestamp wins.</param>
/// <param name="RowsSince">Up to <c>@Limit</c> rows after rowid <c>@Point</c>, in rowid order, with their <c>RowId</c>.</param>
public sealed record DatabaseKind(string Name, string DirectoryName, string Schema, string Info, string Rows, string InsertInfo, string MergeInfo, string MergeRow, string RowsSince)
{
    /// <summary>The info row with its live totals, as the server answers it.</summary>
    public required string LiveInfo { get; init; }

    /// <summary>Replaces the info row's metadata (<c>@Metadata</c>).</summary>
    public required string SetMetadata { get; init; }

    /// <summary>Sets the info row's delete timestamp (<c>@Timestamp</c>).</summary>
    public required string SetDeleteTimestamp { get; init; }

    /// <summary>Headers a client may set besides <c>X-&lt;Kind&gt;-Meta-*</c>.</summary>
    public required IReadOnlyCollection<string> SystemMetadata { get; init; }

    /// <summary>Row columns a peer running an older cloudd does not send, with the value their rows mean.</summary>
    public IReadOnlyDictionary<string, object?> RowDefaults { get; init; } = new Dictionary<string, object?>();

    /// <summary>Container databases: object rows.</summary>
    public static DatabaseKind Container { get; } = new("container", "containers", ContainerQueries.Schema, ContainerQueries.ReplicationInfo,
        ContainerQueries.ReplicationRows, ContainerQueries.ReplicationInsertInfo, ContainerQueries.ReplicationMergeInfo, ContainerQueries.MergeObject,
        ContainerQueries.ReplicationRowsSince)
    {
        LiveInfo = ContainerQueries.Info,
        SetMetadata = ContainerQueries.SetMetadata,
        SetDeleteTimestamp = ContainerQueries.SetDeleteTimestamp,
        SystemMetadata = ["X-Container-Read", "X-Container-Write", "X-Container-Sync-To", "X-Container-Sync-Key", "X-Versions-Location", "X-History-Location",
            // Object versioning's flag (swift's sysmeta); only the proxy's middleware sets it.
            "X-Container-Sysmeta-Versions-Enabled"],
    };

    /// <summary>Account databases: container rows.</summary>
    public static DatabaseKind Account { get; } = new("account", "accounts", AccountQueries.Schema, AccountQueries.ReplicationInfo,
        AccountQueries.ReplicationRows, AccountQueries.ReplicationInsertInfo, AccountQueries.ReplicationMergeInfo, AccountQueries.ReplicationMergeContainer,
        AccountQueries.ReplicationRowsSince)
    {
        LiveInfo = AccountQueries.Info,
        SetMetadata = AccountQueries.SetMetadata,
        SetDeleteTimestamp = AccountQueries.SetDeleteTimestamp,
        SystemMetadata = ["X-Account-Access-Control"],
        RowDefaults = new Dictionary<string, object?> { ["StoragePolicyIndex"] = 0L },
    };
}
