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

    public IDbConnectionFactory Db { get; }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
