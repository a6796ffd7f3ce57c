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
    // The row is taken first and only looked for when that updated nothing (once per project and scope, ever): a
    // SELECT before every create cost one round trip a request.
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
        if (await TryBeginHeldAsync(connection, args, cancellationToken).ConfigureAwait(false) is { } held)
        {
            return held;
        }
        await connection.ExecuteAsync(Cmd(dialect == SqlDialect.MySql ? InsertMySql : InsertSqlite, args, cancellationToken)).ConfigureAwait(false);
        return await TryBeginHeldAsync(connection, args, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"quota lock {scope} of project {projectId} vanished after it was created");
    }

    /// <summary>A transaction holding the lock row, or null (rolled back) when the row does not exist yet.</summary>
    private static async Task<DbTransaction?> TryBeginHeldAsync(DbConnection connection, object args, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await connection.ExecuteAsync(Cmd(Hold, args, cancellationToken, transaction)).ConfigureAwait(false) > 0)
            {
                return transaction;
            }
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        await transaction.DisposeAsync().ConfigureAwait(false);
        return null;
    }
}
