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
            metadata TEXT NOT NULL DEFAULT '{}',
            object_count INTEGER NOT NULL DEFAULT 0,
            bytes_used INTEGER NOT NULL DEFAULT 0);
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
        """ + CountTriggers;

    /// <summary>
    /// Keep container_info's object_count and bytes_used equal to the live rows' count and sizes, as swift's
    /// container_stat triggers do, so a HEAD or listing reads two columns instead of counting and summing every row
    /// (10,000 rows: 3.3 ms of CPU per request, more than the page itself). Every writer of object rows (merges,
    /// replication) goes through them. The rowid move above updates no counted column, so it fires none of them.
    /// </summary>
    public const string CountTriggers = """
        CREATE TRIGGER IF NOT EXISTS object_insert_counts AFTER INSERT ON object
        BEGIN UPDATE container_info SET object_count = object_count + (NEW.deleted = 0),
            bytes_used = bytes_used + CASE WHEN NEW.deleted = 0 THEN NEW.size ELSE 0 END WHERE id = 1; END;
        CREATE TRIGGER IF NOT EXISTS object_update_counts AFTER UPDATE OF deleted, size ON object
        BEGIN UPDATE container_info SET object_count = object_count + (NEW.deleted = 0) - (OLD.deleted = 0),
            bytes_used = bytes_used + CASE WHEN NEW.deleted = 0 THEN NEW.size ELSE 0 END - CASE WHEN OLD.deleted = 0 THEN OLD.size ELSE 0 END
            WHERE id = 1; END;
        CREATE TRIGGER IF NOT EXISTS object_delete_counts AFTER DELETE ON object
        BEGIN UPDATE container_info SET object_count = object_count - (OLD.deleted = 0),
            bytes_used = bytes_used - CASE WHEN OLD.deleted = 0 THEN OLD.size ELSE 0 END WHERE id = 1; END;
        """;

    /// <summary>Sets the totals from the rows, once for a database made before the triggers.</summary>
    public const string RecountTotals = RecountSet + " WHERE id = 1";

    // After an INSERT OR IGNORE of the info row: rows that arrived before it (the triggers found no row to update)
    // are counted when it was inserted, and nothing is read when it already existed (changes() is the INSERT's).
    private const string RecountIfInserted = RecountSet + " WHERE id = 1 AND changes() = 1";

    private const string RecountSet = """
        UPDATE container_info SET object_count = (SELECT COUNT(*) FROM object WHERE deleted = 0),
            bytes_used = (SELECT COALESCE(SUM(size), 0) FROM object WHERE deleted = 0)
        """;

    public const string InsertInfo = """
        INSERT OR IGNORE INTO container_info (id, account, container, created_at, put_timestamp, delete_timestamp, metadata)
        VALUES (1, @Account, @Container, @Timestamp, @Timestamp, @Zero, '{}');
        """ + RecountIfInserted;

    public const string Info = """
        SELECT account AS Account, container AS Container, created_at AS CreatedAt, put_timestamp AS PutTimestamp,
               delete_timestamp AS DeleteTimestamp, metadata AS Metadata, object_count AS ObjectCount, bytes_used AS BytesUsed
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
        VALUES (1, @Account, @Container, @CreatedAt, @PutTimestamp, @DeleteTimestamp, @Metadata);
        """ + RecountIfInserted;

    // Metadata carries no time of its own here: the replica with the newer PUT is taken to have the newer metadata.
    public const string ReplicationMergeInfo = """
        UPDATE container_info SET
            metadata = CASE WHEN @PutTimestamp > put_timestamp THEN @Metadata ELSE metadata END,
            put_timestamp = max(put_timestamp, @PutTimestamp),
            delete_timestamp = max(delete_timestamp, @DeleteTimestamp)
        WHERE id = 1
        """;

    // In the order ContainerObjectRow.Read takes them.
    private const string ListColumns =
        "SELECT name, created_at, size, content_type, etag FROM object WHERE deleted = 0 AND name >= @Lower";

    /// <summary>The listing queries over <see cref="ListColumns"/>.</summary>
    public static readonly ListingSql Listing = new(ListColumns, ContainerObjectRow.Read);
}
