using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// Applies pending migrations (<c>cloudd manage db sync</c>, idempotent), reports the schema version
/// (<c>manage db version</c>) and guards role start-up against an out-of-date schema.
/// A migration that fails midway can be rerun: on SQLite it runs in one transaction; on MariaDB, where DDL
/// auto-commits, each statement's completion is recorded (DML in the same transaction as its record), DDL is
/// written in re-runnable <c>IF [NOT] EXISTS</c> forms for the crash between a DDL and its record, and the version
/// is recorded with the progress cleared in one transaction.
/// </summary>
/// <param name="db">The database.</param>
/// <param name="log">Where applied and resumed migrations are logged.</param>
/// <param name="migrations">The migrations; default: every one embedded in cloudd.</param>
/// <param name="lockTimeout">How long a MariaDB sync waits for another's lock before failing. Default: 120 s.</param>
public sealed partial class MigrationRunner(IDbConnectionFactory db, ILogger<MigrationRunner> log, IReadOnlyList<Migration>? migrations = null,
    TimeSpan? lockTimeout = null)
{
    private readonly IReadOnlyList<Migration> _migrations = migrations ?? MigrationCatalog.All;
    private readonly TimeSpan _lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(120);

    public int Latest => _migrations.Count == 0 ? 0 : _migrations[^1].Version;

    /// <summary>The schema version; 0 for a database that does not exist yet.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        DbConnection connection;
        try
        {
            connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseUnavailableException e) when (e.DatabaseMissing)
        {
            return 0;
        }
        await using (connection.ConfigureAwait(false))
        {
            return await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Throws <see cref="SchemaOutOfDateException"/> unless the database is exactly at <see cref="Latest"/>.</summary>
    public async Task EnsureCurrentAsync(CancellationToken cancellationToken)
    {
        var current = await CurrentVersionAsync(cancellationToken).ConfigureAwait(false);
        if (current != Latest)
        {
            throw new SchemaOutOfDateException(db.Description, current, Latest);
        }
    }

    /// <summary>Applies every migration above the current version, in order; returns those applied.</summary>
    public async Task<IReadOnlyList<Migration>> SyncAsync(CancellationToken cancellationToken)
    {
        if (db is MySqlConnectionFactory mysql)
        {
            await mysql.CreateDatabaseIfMissingAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Two hosts running db sync at once must not both apply a migration; MySQL DDL is not transactional,
        // so a named lock serialises them. SQLite's write lock does the same inside the transaction below.
        // Released in the finally whatever happened, also when the wait was cancelled after the server granted it:
        // pooled sessions are not reset (MySqlConnectionFactory), so a lock left held would go to the pool's next user.
        // RELEASE_LOCK of a lock another session holds releases nothing.
        var locked = db.Dialect == SqlDialect.MySql;
        try
        {
            if (locked)
            {
                var seconds = (int)Math.Ceiling(_lockTimeout.TotalSeconds);
                // The client's own command timeout (30 s by default) must not cut the wait short.
                var got = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(MigrationQueries.MySqlLock,
                    new { Seconds = seconds }, commandTimeout: seconds + 30, cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (got != 1)
                {
                    throw new DatabaseUnavailableException(
                        $"another db sync holds the schema lock on {db.Description} (waited {_lockTimeout.TotalSeconds:0} s, --db_sync_lock_timeout); nothing was applied, run db sync again once it has finished");
                }
            }
            await connection.ExecuteAsync(new CommandDefinition(MigrationQueries.CreateVersionTable, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (db.Dialect == SqlDialect.MySql)
            {
                await connection.ExecuteAsync(new CommandDefinition(MigrationQueries.CreateProgressTable, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
            var current = await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
            if (current > Latest)
            {
                throw new SchemaOutOfDateException(db.Description, current, Latest);
            }
            var applied = new List<Migration>();
            foreach (var migration in _migrations.Where(m => m.Version > current))
            {
                await ApplyAsync(connection, migration, cancellationToken).ConfigureAwait(false);
                applied.Add(migration);
            }
            return applied;
        }
        finally
        {
            if (locked)
            {
                await connection.ExecuteScalarAsync<int?>(new CommandDefinition(MigrationQueries.MySqlUnlock, cancellationToken: CancellationToken.None)).ConfigureAwait(false);
            }
        }
    }

    private async Task ApplyAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        if (db.Dialect == SqlDialect.Sqlite)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var statement in Migration.Statements(migration.SqlFor(db.Dialect)))
            {
                await RunAsync(connection, migration, statement, transaction, cancellationToken).ConfigureAwait(false);
            }
            await RecordVersionAsync(connection, migration, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ApplyMySqlAsync(connection, migration, cancellationToken).ConfigureAwait(false);
        }
        LogApplied(migration.Version, migration.Name);
    }

    private async Task ApplyMySqlAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        var done = (await connection.QueryAsync<int>(new CommandDefinition(MigrationQueries.DoneStatements, new { migration.Version },
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToHashSet();
        if (done.Count > 0)
        {
            LogResuming(migration.Version, migration.Name, done.Count);
        }
        foreach (var (index, statement) in Migration.Statements(migration.SqlFor(db.Dialect)).Index())
        {
            if (done.Contains(index))
            {
                continue;
            }
            // DDL commits by itself whatever the transaction; DML and its progress record commit together.
            await using var transaction = Migration.IsDdl(statement) ? null : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await RunAsync(connection, migration, statement, transaction, cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(MigrationQueries.RecordStatement, new { migration.Version, Statement = index },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        await using var record = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RecordVersionAsync(connection, migration, record, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(MigrationQueries.ClearProgress, new { migration.Version }, record,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await record.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(DbConnection connection, Migration migration, string statement, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            throw new DatabaseUnavailableException(
                $"migration {migration.Version:0000}_{migration.Name} failed on {db.Description}: {e.Message}; nothing of it is recorded as done, fix the cause and run db sync again", e);
        }
    }

    private static Task RecordVersionAsync(DbConnection connection, Migration migration, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            MigrationQueries.RecordVersion,
            new { migration.Version, migration.Name, AppliedAt = DateTime.UtcNow },
            transaction,
            cancellationToken: cancellationToken));

    private async Task<int> CurrentVersionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            db.Dialect == SqlDialect.MySql ? MigrationQueries.MySqlVersionTableExists : MigrationQueries.SqliteVersionTableExists,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return exists == 0
            ? 0
            : await connection.ExecuteScalarAsync<int>(new CommandDefinition(MigrationQueries.CurrentVersion, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            throw new DatabaseUnavailableException($"cannot open {db.Description}: {e.Message}", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "applied migration {Version} ({Name})")]
    private partial void LogApplied(int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "resuming migration {Version} ({Name}) after {Done} statements an earlier db sync completed")]
    private partial void LogResuming(int version, string name, int done);
}
