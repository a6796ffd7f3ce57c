namespace Cloud.Modules.Kernel.Db;

/// <summary>Chooses the connection factory for a <c>--sql_connection</c> URL.</summary>
public static class DbConnectionFactory
{
    public static IDbConnectionFactory FromUrl(string sqlConnection)
    {
        var url = DatabaseUrl.Parse(sqlConnection);
        return url.Dialect == SqlDialect.MySql
            ? new MySqlConnectionFactory(url)
            : new SqliteConnectionFactory(url.Database);
    }
}
