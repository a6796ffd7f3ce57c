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

    public const string MySqlLock = "SELECT GET_LOCK('cloudd_db_sync', 120)";

    public const string MySqlUnlock = "SELECT RELEASE_LOCK('cloudd_db_sync')";
}
