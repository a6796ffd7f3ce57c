using Cloud.Modules.Kernel.Db;
using MySqlConnector;

namespace Cloud.Tests.Support;

/// <summary>A fresh database on the test MariaDB (CLOUD_TEST_MYSQL), dropped afterwards.</summary>
public sealed class MySqlHarness : IDbHarness
{
    private readonly DatabaseUrl _url;

    public MySqlHarness()
    {
        SqlConnection = TestEnv.NewMySqlDatabase();
        _url = DatabaseUrl.Parse(SqlConnection);
        Db = DbConnectionFactory.FromUrl(SqlConnection);
    }

    public string SqlConnection { get; }

    public IDbConnectionFactory Db { get; }

    public async ValueTask DisposeAsync()
    {
        var server = new MySqlConnectionStringBuilder
        {
            Server = _url.Host,
            Port = (uint)_url.Port,
            UserID = _url.User,
            Password = _url.Password,
        };
        await using var connection = new MySqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS `{_url.Database}`";
        await drop.ExecuteNonQueryAsync();
    }
}
