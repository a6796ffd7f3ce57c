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
    /// <summary>
    /// 1: account databases' container rows carry their storage policy (for X-Account-Storage-Policy-*).
    /// 2: container databases keep their object count and bytes used in container_info, maintained by triggers.
    /// </summary>
    public const int Current = 2;

    public static void Run(SqliteConnection db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.ExecuteScalar<long>("PRAGMA user_version") >= Current)
        {
            return;
        }
        // One writer at a time (BEGIN IMMEDIATE): a second opener waits, then finds the columns there and adds nothing.
        using var tx = db.BeginTransaction();
        // Only account databases have a table named container (container databases have container_info and object).
        if (HasTable(db, tx, "container") && !HasColumn(db, tx, "container", "storage_policy_index"))
        {
            db.Execute(AccountQueries.AddPolicyColumn, transaction: tx);
        }
        if (HasTable(db, tx, "container_info") && !HasColumn(db, tx, "container_info", "object_count"))
        {
            db.Execute("""
                ALTER TABLE container_info ADD COLUMN object_count INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE container_info ADD COLUMN bytes_used INTEGER NOT NULL DEFAULT 0;
                """ + ContainerQueries.CountTriggers + ContainerQueries.RecountTotals, transaction: tx);
        }
        db.Execute($"PRAGMA user_version = {Current}", transaction: tx);
        tx.Commit();
    }

    private static bool HasTable(SqliteConnection db, SqliteTransaction tx, string table) =>
        db.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @Table", new { Table = table }, tx) > 0;

    private static bool HasColumn(SqliteConnection db, SqliteTransaction tx, string table, string column) =>
        db.ExecuteScalar<long>("SELECT COUNT(*) FROM pragma_table_info(@Table) WHERE name = @Column", new { Table = table, Column = column }, tx) > 0;
}
