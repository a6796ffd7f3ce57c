using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// The embedded default. WAL lets readers run while a role writes; busy_timeout makes concurrent writers
/// (several roles, several processes) wait instead of failing with SQLITE_BUSY.
/// </summary>
public sealed class SqliteConnectionFactory : IDbConnectionFactory
{
    private readonly string _connectionString;

    // An in-memory database lives as long as one connection to it stays open.
    private readonly SqliteConnection? _keepAlive;

    public SqliteConnectionFactory(string path)
    {
        var inMemory = path == DatabaseUrl.InMemory;
        Description = inMemory ? "sqlite://" : $"sqlite:///{path}";
        if (inMemory)
        {
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = $"cloudd-{Guid.NewGuid():N}",
                Mode = SqliteOpenMode.Memory,
                Cache = SqliteCacheMode.Shared,
            }.ToString();
            _keepAlive = new SqliteConnection(_connectionString);
            _keepAlive.Open();
            return;
        }
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
    }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public string Description { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            _keepAlive is null
                ? "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
                : "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return connection;
    }
}
