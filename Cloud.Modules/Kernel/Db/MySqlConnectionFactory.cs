using System.Data.Common;
using MySqlConnector;

namespace Cloud.Modules.Kernel.Db;

/// <summary>MariaDB/MySQL through MySqlConnector, pooled; dates are read and written as UTC.</summary>
public sealed class MySqlConnectionFactory(DatabaseUrl url) : IDbConnectionFactory
{
    private readonly string _connectionString = new MySqlConnectionStringBuilder
    {
        Server = url.Host,
        Port = (uint)url.Port,
        UserID = url.User ?? "root",
        Password = url.Password ?? "",
        Database = url.Database,
        CharacterSet = "utf8mb4",
        DateTimeKind = MySqlDateTimeKind.Utc,
        ConnectionTimeout = 10,
        Pooling = true,
        // A pooled connection is handed out as it was returned, without COM_RESET_CONNECTION and the character-set
        // statement MySqlConnector pipelines after it (MariaDB's reset drops the character set to the server's):
        // 14.9 of the 45 statements, and one round trip per open, of a scheduled instance. Safe because nothing here
        // leaves session state behind: a transaction not committed is rolled back when its connection closes
        // (MySqlConnector disposes the current transaction before returning the session), every transaction names
        // its isolation level (MySqlConnector sets the session's, the server default here, before each START
        // TRANSACTION), the character set stays the one set at connect, and no code sets user or session variables,
        // creates temp tables or takes named locks (Architecture: Pooled_connections_carry_no_session_state; db
        // sync's named lock is always released). PooledConnectionContractTests shows a session coming back clean.
        // The cost: a session the server closed (a restart) fails on its first command instead of being replaced at
        // open; callers already treat that as transient (503, redelivery) and MySqlConnector then discards it.
        ConnectionReset = false,
    }.ConnectionString;

    public SqlDialect Dialect => SqlDialect.MySql;

    public string Description => url.ToString();

    /// <summary>Creates the database named in the URL when the server does not have it yet (for <c>db sync</c>).</summary>
    public async Task CreateDatabaseIfMissingAsync(CancellationToken cancellationToken)
    {
        var builder = new MySqlConnectionStringBuilder(_connectionString) { Database = "" };
        await using var connection = new MySqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException e)
        {
            throw new DatabaseUnavailableException($"cannot connect to {Description}: {e.Message}", e);
        }
        await using var command = connection.CreateCommand();
        // A database name cannot be a parameter; it is quoted as an identifier instead.
        command.CommandText = $"CREATE DATABASE IF NOT EXISTS `{url.Database.Replace("`", "``", StringComparison.Ordinal)}` CHARACTER SET utf8mb4";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new DatabaseUnavailableException($"cannot connect to {Description}: {e.Message}", e, e.ErrorCode == MySqlErrorCode.UnknownDatabase);
        }
        return connection;
    }
}
