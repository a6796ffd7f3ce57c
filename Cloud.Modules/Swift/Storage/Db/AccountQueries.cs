namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>SQL of one account's SQLite database (swift's AccountBroker); always parameterised.</summary>
internal static class AccountQueries
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS account_info (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            account TEXT NOT NULL,
            created_at TEXT NOT NULL,
            put_timestamp TEXT NOT NULL,
            delete_timestamp TEXT NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}');
        CREATE TABLE IF NOT EXISTS container (
            name TEXT PRIMARY KEY,
            put_timestamp TEXT NOT NULL,
            delete_timestamp TEXT NOT NULL,
            object_count INTEGER NOT NULL,
            bytes_used INTEGER NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            storage_policy_index INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS ix_container_deleted_name ON container (deleted, name);
        CREATE TRIGGER IF NOT EXISTS container_changed_row_moves_last AFTER UPDATE ON container
        BEGIN UPDATE container SET rowid = (SELECT max(rowid) FROM container) + 1 WHERE rowid = NEW.rowid; END;
        """;

    public const string InsertInfo = """
        INSERT OR IGNORE INTO account_info (id, account, created_at, put_timestamp, delete_timestamp, metadata)
        VALUES (1, @Account, @Timestamp, @Timestamp, @Zero, '{}')
        """;

    public const string Info = """
        SELECT account AS Account, created_at AS CreatedAt, put_timestamp AS PutTimestamp,
               delete_timestamp AS DeleteTimestamp, metadata AS Metadata,
               (SELECT COUNT(*) FROM container WHERE deleted = 0) AS ContainerCount,
               (SELECT COALESCE(SUM(object_count), 0) FROM container WHERE deleted = 0) AS ObjectCount,
               (SELECT COALESCE(SUM(bytes_used), 0) FROM container WHERE deleted = 0) AS BytesUsed
        FROM account_info WHERE id = 1
        """;

    public const string SetPutTimestamp =
        "UPDATE account_info SET put_timestamp = max(put_timestamp, @Timestamp) WHERE id = 1";

    public const string SetDeleteTimestamp =
        "UPDATE account_info SET delete_timestamp = max(delete_timestamp, @Timestamp) WHERE id = 1";

    public const string SetMetadata = "UPDATE account_info SET metadata = @Metadata WHERE id = 1";

    // Like swift's merge_items: each timestamp only moves forward; the counts are the updater's latest word.
    public const string MergeContainer = """
        INSERT INTO container (name, put_timestamp, delete_timestamp, object_count, bytes_used, deleted, storage_policy_index)
        VALUES (@Name, @PutTimestamp, @DeleteTimestamp, @ObjectCount, @BytesUsed, @Deleted, @StoragePolicyIndex)
        ON CONFLICT (name) DO UPDATE SET
            storage_policy_index = CASE WHEN excluded.put_timestamp >= put_timestamp THEN excluded.storage_policy_index ELSE storage_policy_index END,
            put_timestamp = max(put_timestamp, excluded.put_timestamp),
            delete_timestamp = max(delete_timestamp, excluded.delete_timestamp),
            object_count = excluded.object_count,
            bytes_used = excluded.bytes_used,
            deleted = CASE WHEN max(delete_timestamp, excluded.delete_timestamp) > max(put_timestamp, excluded.put_timestamp)
                           THEN 1 ELSE 0 END
        """;

    // Replication: every row, and the info taken from a peer (see ContainerQueries).
    public const string ReplicationInfo = """
        SELECT account AS Account, created_at AS CreatedAt, put_timestamp AS PutTimestamp,
               delete_timestamp AS DeleteTimestamp, metadata AS Metadata
        FROM account_info WHERE id = 1
        """;

    public const string ReplicationRowsSince = """
        SELECT rowid AS RowId, name AS Name, put_timestamp AS PutTimestamp, delete_timestamp AS DeleteTimestamp,
               object_count AS ObjectCount, bytes_used AS BytesUsed, deleted AS Deleted, storage_policy_index AS StoragePolicyIndex
        FROM container WHERE rowid > @Point ORDER BY rowid LIMIT @Limit
        """;

    public const string ReplicationRows = """
        SELECT name AS Name, put_timestamp AS PutTimestamp, delete_timestamp AS DeleteTimestamp,
               object_count AS ObjectCount, bytes_used AS BytesUsed, deleted AS Deleted, storage_policy_index AS StoragePolicyIndex
        FROM container ORDER BY name
        """;

    public const string ReplicationInsertInfo = """
        INSERT OR IGNORE INTO account_info (id, account, created_at, put_timestamp, delete_timestamp, metadata)
        VALUES (1, @Account, @CreatedAt, @PutTimestamp, @DeleteTimestamp, @Metadata)
        """;

    public const string ReplicationMergeInfo = """
        UPDATE account_info SET
            metadata = CASE WHEN @PutTimestamp > put_timestamp THEN @Metadata ELSE metadata END,
            put_timestamp = max(put_timestamp, @PutTimestamp),
            delete_timestamp = max(delete_timestamp, @DeleteTimestamp)
        WHERE id = 1
        """;

    // A peer's counts replace ours only with a newer put: a replica that was down must not roll the totals back.
    public const string ReplicationMergeContainer = """
        INSERT INTO container (name, put_timestamp, delete_timestamp, object_count, bytes_used, deleted, storage_policy_index)
        VALUES (@Name, @PutTimestamp, @DeleteTimestamp, @ObjectCount, @BytesUsed, @Deleted, @StoragePolicyIndex)
        ON CONFLICT (name) DO UPDATE SET
            storage_policy_index = CASE WHEN excluded.put_timestamp > put_timestamp THEN excluded.storage_policy_index ELSE storage_policy_index END,
            object_count = CASE WHEN excluded.put_timestamp > put_timestamp THEN excluded.object_count ELSE object_count END,
            bytes_used = CASE WHEN excluded.put_timestamp > put_timestamp THEN excluded.bytes_used ELSE bytes_used END,
            put_timestamp = max(put_timestamp, excluded.put_timestamp),
            delete_timestamp = max(delete_timestamp, excluded.delete_timestamp),
            deleted = CASE WHEN max(delete_timestamp, excluded.delete_timestamp) > max(put_timestamp, excluded.put_timestamp)
                           THEN 1 ELSE 0 END
        """;

    // Swift's policy_stat: a policy keeps its line once one of its containers was reported, with zeros when all are gone.
    public const string PolicyStats = """
        SELECT storage_policy_index AS PolicyIndex,
               SUM(CASE WHEN deleted = 0 THEN 1 ELSE 0 END) AS ContainerCount,
               SUM(CASE WHEN deleted = 0 THEN object_count ELSE 0 END) AS ObjectCount,
               SUM(CASE WHEN deleted = 0 THEN bytes_used ELSE 0 END) AS BytesUsed
        FROM container GROUP BY storage_policy_index ORDER BY storage_policy_index
        """;

    // Account databases made before storage policies lack the column (see SwiftDatabaseUpgrade).
    public const string AddPolicyColumn = "ALTER TABLE container ADD COLUMN storage_policy_index INTEGER NOT NULL DEFAULT 0";

    public const string LiveContainerNames = "SELECT name FROM container WHERE deleted = 0 ORDER BY name";

    // A name starting with U+FFFF is reserved (object versioning's hidden versions containers, which Swift starts with
    // NUL): listings do not show it, as Swift's account server hides reserved names from clients.
    // In the order AccountContainerRow.Read takes them.
    private const string ListColumns =
        "SELECT name, put_timestamp, object_count, bytes_used FROM container WHERE deleted = 0 AND name >= @Lower AND substr(name, 1, 1) <> char(65535)";

    /// <summary>The listing queries over <see cref="ListColumns"/>.</summary>
    public static readonly ListingSql Listing = new(ListColumns, AccountContainerRow.Read);
}
