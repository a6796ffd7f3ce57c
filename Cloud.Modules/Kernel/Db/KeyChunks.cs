using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// Queries with an <c>IN @list</c> of many keys (the instances of a server page), run a chunk of keys at a time.
/// SQLite finds each named parameter by a linear scan of the statement's parameter names (sqlite3VListNameToNum, when
/// it parses and again when each value is bound), so one statement with n parameters costs n² string compares: with
/// 1,000 instance uuids in one list that scan was 44 % of the API's CPU (perf, GET /servers/detail and
/// DescribeInstances with 1,000 servers). MariaDB has no such cost and takes larger chunks (fewer round trips).
/// </summary>
public static class KeyChunks
{
    /// <summary>The most keys one statement binds on <paramref name="dialect"/>.</summary>
    public static int SizeFor(SqlDialect dialect) => dialect == SqlDialect.Sqlite ? 64 : 500;

    /// <summary>The rows of <paramref name="sql"/> for every chunk of <paramref name="keys"/> (<paramref name="args"/> names a chunk's parameter), on one connection.</summary>
    public static async Task<List<T>> QueryAsync<T>(IDbConnectionFactory db, string sql, IReadOnlyList<string> keys, Func<string[], object> args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(args);
        var rows = new List<T>();
        if (keys.Count == 0)
        {
            return rows;
        }
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in keys.Chunk(SizeFor(db.Dialect)))
        {
            rows.AddRange(await c.QueryAsync<T>(Cmd(sql, args(chunk), cancellationToken)).ConfigureAwait(false));
        }
        return rows;
    }
}
