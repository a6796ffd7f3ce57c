namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>
/// A container database's container-sync points (swift's x_container_sync_point1/2 of container_stat): the rowid up to
/// which this replica has synced its own share of the rows (point1) and up to which it has synced every row (point2).
/// They belong to this copy of the database, so replication never carries them (a new copy starts at -1, as swift resets
/// them on a new database id).
/// </summary>
internal static class ContainerSyncQueries
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS container_sync (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            x_container_sync_point1 INTEGER NOT NULL DEFAULT -1,
            x_container_sync_point2 INTEGER NOT NULL DEFAULT -1);
        INSERT OR IGNORE INTO container_sync (id) VALUES (1);
        """;

    public const string Points =
        "SELECT x_container_sync_point1 AS Point1, x_container_sync_point2 AS Point2 FROM container_sync WHERE id = 1";

    public const string SetPoint1 = "UPDATE container_sync SET x_container_sync_point1 = @Point WHERE id = 1";

    public const string SetPoint2 = "UPDATE container_sync SET x_container_sync_point2 = @Point WHERE id = 1";

    // get_items_since(point, 1): the next row changed after the point, deleted ones included.
    public const string NextRow =
        "SELECT rowid AS RowId, name AS Name, created_at AS CreatedAt, deleted AS Deleted FROM object WHERE rowid > @Point ORDER BY rowid LIMIT 1";
}
