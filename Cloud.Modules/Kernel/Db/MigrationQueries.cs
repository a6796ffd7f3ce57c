namespace Cloud.Modules.Kernel.Db;

/// <summary>SQL of the migration bookkeeping table (named as nova's, <c>migrate_version</c>).</summary>
internal static class MigrationQueries
{
    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS migrate_version (
            version INTEGER NOT NULL PRIMARY KEY,
            name VARCHAR(255) NOT NULL,
            applied_at DATETIME NOT NULL)
        """;

    public const string SqliteVersionTableExists =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrate_version'";

    public const string MySqlVersionTableExists =
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'migrate_version'";

    public const string CurrentVersion = "SELECT COALESCE(MAX(version), 0) FROM migrate_version";

    public const string RecordVersion =
        "INSERT INTO migrate_version (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    /// <summary>MariaDB's per-statement progress of a migration not yet recorded in <c>migrate_version</c> (its DDL auto-commits).</summary>
    public const string CreateProgressTable = """
        CREATE TABLE IF NOT EXISTS migrate_progress (
            version INTEGER NOT NULL,
            statement INTEGER NOT NULL,
            PRIMARY KEY (version, statement))
        """;

    public const string DoneStatements = "SELECT statement FROM migrate_progress WHERE version = @Version";

    public const string RecordStatement = "INSERT INTO migrate_progress (version, statement) VALUES (@Version, @Statement)";

    public const string ClearProgress = "DELETE FROM migrate_progress WHERE version = @Version";

    /// <summary>
    /// 1 when obtained, 0 when another session held it past the timeout, NULL on error. Named after the database
    /// (MariaDB's lock names are server-wide and at most 64 characters), so clouds sharing a server do not wait on each other.
    /// </summary>
    public const string MySqlLock = "SELECT GET_LOCK(CONCAT('cloudd_sync_', MD5(DATABASE())), @Seconds)";

    public const string MySqlUnlock = "SELECT RELEASE_LOCK(CONCAT('cloudd_sync_', MD5(DATABASE())))";
}
