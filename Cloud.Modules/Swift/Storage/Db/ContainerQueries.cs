namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>SQL of one container's SQLite database (swift's ContainerBroker); always parameterised.</summary>
internal static class ContainerQueries
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS container_info (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            account TEXT NOT NULL,
            container TEXT NOT NULL,
            created_at TEXT NOT NULL,
            put_timestamp TEXT NOT NULL,
            delete_timestamp TEXT NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}');
        CREATE TABLE IF NOT EXISTS object (
            name TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            size INTEGER NOT NULL,
            content_type TEXT NOT NULL,
            etag TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS ix_object_deleted_name ON object (deleted, name);
        CREATE TRIGGER IF NOT EXISTS object_changed_row_moves_last AFTER UPDATE ON object
        BEGIN UPDATE object SET rowid = (SELECT max(rowid) FROM object) + 1 WHERE rowid = NEW.rowid; END;
        """;

    public const string InsertInfo = """
        INSERT OR IGNORE INTO container_info (id, account, container, created_at, put_timestamp, delete_timestamp, metadata)
        VALUES (1, @Account, @Container, @Timestamp, @Timestamp, @Zero, '{}')
        """;

    public const string Info = """
        SELECT account AS Account, container AS Container, created_at AS CreatedAt, put_timestamp AS PutTimestamp,
               delete_timestamp AS DeleteTimestamp, metadata AS Metadata,
               (SELECT COUNT(*) FROM object WHERE deleted = 0) AS ObjectCount,
               (SELECT COALESCE(SUM(size), 0) FROM object WHERE deleted = 0) AS BytesUsed
        FROM container_info WHERE id = 1
        """;

    /// <summary>
    /// <see cref="Info"/> for a row merge, which only needs to know whether the container counts as deleted: ObjectCount
    /// is 1 when any object is live (an index probe) instead of a count, and BytesUsed is not summed (0). The full
    /// totals read every row of the container, which made each object update cost O(objects in the container).
    /// </summary>
    public const string InfoForMerge = """
        SELECT account AS Account, container AS Container, created_at AS CreatedAt, put_timestamp AS PutTimestamp,
               delete_timestamp AS DeleteTimestamp, metadata AS Metadata,
               EXISTS (SELECT 1 FROM object WHERE deleted = 0) AS ObjectCount, 0 AS BytesUsed
        FROM container_info WHERE id = 1
        """;

    public const string SetPutTimestamp =
        "UPDATE container_info SET put_timestamp = max(put_timestamp, @Timestamp) WHERE id = 1";

    // A re-created container starts its life again; swift resets created_at the same way.
    public const string Recreate =
        "UPDATE container_info SET created_at = @Timestamp, put_timestamp = @Timestamp, metadata = '{}' WHERE id = 1";

    public const string SetDeleteTimestamp =
        "UPDATE container_info SET delete_timestamp = max(delete_timestamp, @Timestamp), metadata = '{}' WHERE id = 1";

    public const string SetMetadata = "UPDATE container_info SET metadata = @Metadata WHERE id = 1";

    public const string MergeObject = """
        INSERT INTO object (name, created_at, size, content_type, etag, deleted)
        VALUES (@Name, @CreatedAt, @Size, @ContentType, @Etag, @Deleted)
        ON CONFLICT (name) DO UPDATE SET created_at = excluded.created_at, size = excluded.size,
            content_type = excluded.content_type, etag = excluded.etag, deleted = excluded.deleted
        WHERE excluded.created_at > object.created_at
        """;

    // Replication (swift's db_replicator merge_items/merge_timestamps): every row, and the info taken from a peer.
    public const string ReplicationInfo = """
        SELECT account AS Account, container AS Container, created_at AS CreatedAt, put_timestamp AS PutTimestamp,
               delete_timestamp AS DeleteTimestamp, metadata AS Metadata
        FROM container_info WHERE id = 1
        """;

    public const string ReplicationRows =
        "SELECT name AS Name, created_at AS CreatedAt, size AS Size, content_type AS ContentType, etag AS Etag, deleted AS Deleted FROM object ORDER BY name";

    public const string ReplicationRowsSince =
        "SELECT rowid AS RowId, name AS Name, created_at AS CreatedAt, size AS Size, content_type AS ContentType, etag AS Etag, deleted AS Deleted FROM object WHERE rowid > @Point ORDER BY rowid LIMIT @Limit";

    public const string ReplicationInsertInfo = """
        INSERT OR IGNORE INTO container_info (id, account, container, created_at, put_timestamp, delete_timestamp, metadata)
        VALUES (1, @Account, @Container, @CreatedAt, @PutTimestamp, @DeleteTimestamp, @Metadata)
        """;

    // Metadata carries no time of its own here: the replica with the newer PUT is taken to have the newer metadata.
    public const string ReplicationMergeInfo = """
        UPDATE container_info SET
            metadata = CASE WHEN @PutTimestamp > put_timestamp THEN @Metadata ELSE metadata END,
            put_timestamp = max(put_timestamp, @PutTimestamp),
            delete_timestamp = max(delete_timestamp, @DeleteTimestamp)
        WHERE id = 1
        """;

    private const string ListColumns =
        "SELECT name AS Name, created_at AS CreatedAt, size AS Size, content_type AS ContentType, etag AS Etag FROM object WHERE deleted = 0 AND name >= @Lower";

    /// <summary>The listing queries over <see cref="ListColumns"/>.</summary>
    public static readonly ListingSql Listing = new(ListColumns);
}
