using Cloud.Modules.Kernel.Db;

namespace Cloud.Tests.Support;

/// <summary>A fresh SQLite file database.</summary>
public sealed class SqliteHarness : IDbHarness
{
    private readonly TempDir _dir = new();

    public SqliteHarness()
    {
        SqlConnection = $"sqlite:///{Path.Combine(_dir.Path, "cloudd.sqlite")}";
        Db = DbConnectionFactory.FromUrl(SqlConnection);
    }

    public string SqlConnection { get; }

    /// <summary>A new database with every migration applied, for tests of the stores' SQL on their own.</summary>
    public static async Task<SqliteHarness> MigratedAsync()
    {
        var harness = new SqliteHarness();
        await new MigrationRunner(harness.Db, Microsoft.Extensions.Logging.Abstractions.NullLogger<MigrationRunner>.Instance).SyncAsync(default);
        return harness;
    }

    public IDbConnectionFactory Db { get; }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
