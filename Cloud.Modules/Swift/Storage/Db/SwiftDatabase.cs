using Dapper;
using Microsoft.Data.Sqlite;

namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>Opens the per-container and per-account SQLite files the way swift's brokers use them.</summary>
internal static class SwiftDatabase
{
    public const string Pragmas = "PRAGMA busy_timeout = 25000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";

    /// <summary>
    /// An open connection, or null when the file does not exist and <paramref name="create"/> is false. Unless
    /// <paramref name="pooled"/> (a connection its user keeps open), it opens the file itself rather than reuse a pooled handle.
    /// </summary>
    public static SqliteConnection? Open(string path, bool create, bool pooled = true)
    {
        if (!create && !File.Exists(path))
        {
            return null;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connection = new SqliteConnection(ConnectionString(path, create, pooled));
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = Pragmas;
        pragmas.ExecuteNonQuery();
        SwiftDatabaseUpgrade.Run(connection);
        return connection;
    }

    /// <summary>
    /// Closes the idle pooled handles on the file at <paramref name="path"/>, once it was removed: they stay open on the
    /// removed file, and a database made again at the path must not be read or written through them.
    /// </summary>
    public static void ClearPooled(string path)
    {
        foreach (var create in (bool[])[false, true])
        {
            using var connection = new SqliteConnection(ConnectionString(path, create, pooled: true));
            SqliteConnection.ClearPool(connection);
        }
    }

    private static string ConnectionString(string path, bool create, bool pooled) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
        Pooling = pooled,
    }.ToString();

    /// <summary>The info row, or null when the database has none yet (or its schema is still being created).</summary>
    public static async Task<T?> InfoAsync<T>(SqliteConnection db, string sql, SqliteTransaction? tx)
    {
        try
        {
            return await db.QuerySingleOrDefaultAsync<T>(sql, transaction: tx).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1 && e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            // A reader can open the file between its creation and the commit of its schema by the first PUT.
            return default;
        }
    }
}
