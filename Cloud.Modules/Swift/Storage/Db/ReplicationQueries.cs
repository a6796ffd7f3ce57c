namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>
/// SQL shared by container and account databases for replication (swift's db_replicator): the database's own id, and
/// per peer database the last row (rowid) merged from it. A changed row moves to the end (the tables' triggers), so
/// "rows after the sync point" is everything a peer has not seen.
/// </summary>
internal static class ReplicationQueries
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS replica_id (k INTEGER PRIMARY KEY CHECK (k = 1), id TEXT NOT NULL);
        INSERT OR IGNORE INTO replica_id (k, id) VALUES (1, lower(hex(randomblob(16))));
        CREATE TABLE IF NOT EXISTS incoming_sync (remote_id TEXT PRIMARY KEY, sync_point INTEGER NOT NULL);
        """;

    public const string Id = "SELECT id FROM replica_id WHERE k = 1";

    public const string Point = "SELECT sync_point FROM incoming_sync WHERE remote_id = @Id";

    public const string SetPoint = """
        INSERT INTO incoming_sync (remote_id, sync_point) VALUES (@Id, @Point)
        ON CONFLICT (remote_id) DO UPDATE SET sync_point = max(sync_point, excluded.sync_point)
        """;
}
