using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// Applies pending migrations (<c>cloudd manage db sync</c>, idempotent), reports the schema version
/// (<c>manage db version</c>) and guards role start-up against an out-of-date schema.
/// </summary>
public sealed partial class MigrationRunner(IDbConnectionFactory db, ILogger<MigrationRunner> log, IReadOnlyList<Migration>? migrations = null)
{
    private readonly IReadOnlyList<Migration> _migrations = migrations ?? MigrationCatalog.All;

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
        if (db.Dialect == SqlDialect.MySql)
        {
            await connection.ExecuteScalarAsync<int?>(new CommandDefinition(MigrationQueries.MySqlLock, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(MigrationQueries.CreateVersionTable, cancellationToken: cancellationToken)).ConfigureAwait(false);
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
            if (db.Dialect == SqlDialect.MySql)
            {
                await connection.ExecuteScalarAsync<int?>(new CommandDefinition(MigrationQueries.MySqlUnlock, cancellationToken: CancellationToken.None)).ConfigureAwait(false);
            }
        }
    }

    private async Task ApplyAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = db.Dialect == SqlDialect.Sqlite
            ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        foreach (var statement in Migration.Statements(migration.SqlFor(db.Dialect)))
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
            catch (DbException e)
            {
                throw new DatabaseUnavailableException($"migration {migration.Version:0000}_{migration.Name} failed on {db.Description}: {e.Message}", e);
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(
            MigrationQueries.RecordVersion,
            new { migration.Version, migration.Name, AppliedAt = DateTime.UtcNow },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        LogApplied(migration.Version, migration.Name);
    }

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
}
