using System.Data.Common;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// Makes a quota's check-and-insert atomic: the transaction it opens first updates the project's row of
/// <c>quota_locks</c> for the scope, so a second create of the same project waits there until the first commits,
/// and only then reads the usage. Counting inside a plain transaction is not enough: under MariaDB's REPEATABLE READ
/// two creates both read the old usage and both insert. (SQLite's BEGIN IMMEDIATE already serialises writers; the
/// row costs it one statement.)
/// </summary>
public static class QuotaLocks
{
    // Created on demand, committed on its own before the transaction: two first creates of a project inserting
    // the row inside their transactions would deadlock on it (both hold a shared lock, both want it exclusive).
    private const string Exists = "SELECT COUNT(*) FROM quota_locks WHERE project_id = @ProjectId AND scope = @Scope";

    private const string InsertMySql = "INSERT IGNORE INTO quota_locks (project_id, scope, held_at) VALUES (@ProjectId, @Scope, @Now)";

    private const string InsertSqlite = "INSERT OR IGNORE INTO quota_locks (project_id, scope, held_at) VALUES (@ProjectId, @Scope, @Now)";

    private const string Hold = "UPDATE quota_locks SET held_at = @Now WHERE project_id = @ProjectId AND scope = @Scope";

    /// <summary>
    /// Opens a transaction on <paramref name="connection"/> holding <paramref name="projectId"/>'s lock of
    /// <paramref name="scope"/> until it commits or rolls back. Read the usage after this, in that transaction.
    /// </summary>
    public static async Task<DbTransaction> BeginHeldAsync(DbConnection connection, SqlDialect dialect, string projectId, string scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var args = new { ProjectId = projectId, Scope = scope, Now = DateTime.UtcNow };
        if (await connection.ExecuteScalarAsync<long>(Cmd(Exists, args, cancellationToken)).ConfigureAwait(false) == 0)
        {
            await connection.ExecuteAsync(Cmd(dialect == SqlDialect.MySql ? InsertMySql : InsertSqlite, args, cancellationToken)).ConfigureAwait(false);
        }
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(Cmd(Hold, args, cancellationToken, transaction)).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
