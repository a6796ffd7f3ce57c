using Dapper;
using Microsoft.Data.Sqlite;

namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>
/// Brings a container or account database made by an older cloudd to the current layout when it is opened, as swift's
/// brokers migrate old databases on first use; SQLite's <c>user_version</c> records that it was done, so later opens
/// cost one pragma read.
/// </summary>
internal static class SwiftDatabaseUpgrade
{
    /// <summary>1: account databases' container rows carry their storage policy (for X-Account-Storage-Policy-*).</summary>
    public const int Current = 1;

    public static void Run(SqliteConnection db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.ExecuteScalar<long>("PRAGMA user_version") >= Current)
        {
            return;
        }
        // Only account databases have a table named container (container databases have container_info and object).
        var lacksPolicy = db.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'container'") > 0
            && db.ExecuteScalar<long>("SELECT COUNT(*) FROM pragma_table_info('container') WHERE name = 'storage_policy_index'") == 0;
        if (lacksPolicy)
        {
            try
            {
                db.Execute(AccountQueries.AddPolicyColumn);
            }
            catch (SqliteException e) when (e.Message.Contains("duplicate column", StringComparison.Ordinal))
            {
                // Another connection upgraded it between the check and the ALTER.
            }
        }
        db.Execute($"PRAGMA user_version = {Current}");
    }
}
