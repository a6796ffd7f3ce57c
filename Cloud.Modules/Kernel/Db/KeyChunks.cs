using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Kernel.Db;

/// <summary>
/// Queries with an <c>IN @Name</c> list of many keys (the instances of a server page). SQLite finds each named
/// parameter by a linear scan of the statement's parameter names (sqlite3VListNameToNum, when it parses and again when
/// each value is bound), so a statement with n list parameters costs n² string compares: with 1,000 instance uuids in
/// one list that scan was 44 % of the API's CPU, and still 11 % (strncmp and sqlite3VListNameToNum, perf, GET
/// /servers/detail with 1,000 servers) in chunks of 64, with 16 statements prepared per fact. On SQLite the keys go as
/// ONE parameter, a JSON array the statement reads with <c>json_each</c>: one statement and one bind for the whole
/// page. MariaDB has no such cost and binds chunks of 500 keys with Dapper's list expansion.
/// </summary>
public static class KeyChunks
{
    /// <summary>The most keys one statement binds on MariaDB.</summary>
    private const int MariaDbChunk = 500;

    /// <summary>Each <c>IN @Name</c> statement as SQLite runs it (the SQL texts are constants: a handful of entries).</summary>
    private static readonly ConcurrentDictionary<(string Sql, string Name), string> SqliteStatements = new();

    /// <summary>
    /// The statements that run <paramref name="sql"/> (with <c>IN @<paramref name="name"/></c>) for all of
    /// <paramref name="keys"/>: one on SQLite, a chunk of keys each on MariaDB.
    /// </summary>
    public static IEnumerable<(string Sql, object Args)> Statements(SqlDialect dialect, string sql, string name, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            yield break;
        }
        if (dialect == SqlDialect.Sqlite)
        {
            var args = new DynamicParameters();
            // Distinct: a statement joined with its keys (JsonEach) gives a row once per key it matches.
            args.Add(name, JsonKeyArray.Of(keys));
            yield return (SqliteStatements.GetOrAdd((sql, name), static key => JsonEach(key.Sql, key.Name)), args);
            yield break;
        }
        foreach (var chunk in keys.Chunk(MariaDbChunk))
        {
            var args = new DynamicParameters();
            args.Add(name, chunk);
            yield return (sql, args);
        }
    }

    /// <summary>The rows of <paramref name="sql"/> for all of <paramref name="keys"/> (<c>IN @<paramref name="name"/></c>), on one connection.</summary>
    public static async Task<List<T>> QueryAsync<T>(IDbConnectionFactory db, string sql, string name, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = new List<T>();
        if (keys.Count == 0)
        {
            return rows;
        }
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync<T>(c, db.Dialect, sql, name, keys, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same on an open connection <paramref name="c"/> of <paramref name="dialect"/> (several facts of a page on one connection).</summary>
    public static async Task<List<T>> QueryAsync<T>(DbConnection c, SqlDialect dialect, string sql, string name, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(c);
        var rows = new List<T>();
        foreach (var (statement, args) in Statements(dialect, sql, name, keys))
        {
            rows.AddRange(await c.QueryAsync<T>(Cmd(statement, args, cancellationToken)).ConfigureAwait(false));
        }
        return rows;
    }

    /// <summary>
    /// The same, each row read by <paramref name="read"/> with the typed getters by ordinal instead of Dapper's
    /// mapper (which reads every column with GetValue, boxing it): for the facts of a page of 1,000 servers, where
    /// the mapped reads of metadata, groups and addresses were 8 % of the page's CPU.
    /// </summary>
    public static async Task<List<T>> QueryAsync<T>(DbConnection c, SqlDialect dialect, string sql, string name, IReadOnlyList<string> keys, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(read);
        var rows = new List<T>();
        foreach (var (statement, args) in Statements(dialect, sql, name, keys))
        {
            await using var reader = await c.ExecuteReaderAsync(Cmd(statement, args, cancellationToken)).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }
        }
        return rows;
    }

    /// <summary>The same on a connection of its own from <paramref name="db"/>.</summary>
    public static async Task<List<T>> QueryAsync<T>(IDbConnectionFactory db, string sql, string name, IReadOnlyList<string> keys, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (keys.Count == 0)
        {
            return [];
        }
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(c, db.Dialect, sql, name, keys, read, cancellationToken).ConfigureAwait(false);
    }

    private static string JsonEach(string sql, string name)
    {
        var list = $"IN @{name}";
        var at = sql.IndexOf(list, StringComparison.Ordinal);
        if (at < 0 || sql.IndexOf(list, at + list.Length, StringComparison.Ordinal) >= 0
            || (at + list.Length < sql.Length && (char.IsLetterOrDigit(sql[at + list.Length]) || sql[at + list.Length] == '_')))
        {
            throw new ArgumentException($"The statement must hold exactly one 'IN @{name}': {sql}", nameof(sql));
        }
        var from = FromClause.Matches(sql);
        if (sql.StartsWith("SELECT", StringComparison.Ordinal) && from.Count == 1 && from[0].Index < at && !Or.IsMatch(sql) && !NotBefore.IsMatch(sql.AsSpan(0, at)))
        {
            // A plain SELECT whose one FROM comes before its IN (not a NOT IN, and no OR that could hold the IN): the keys become the
            // first table, which SQLite keeps first for a CROSS JOIN, each key seeking the table's index. As
            // IN (SELECT ...) SQLite first built an ephemeral index of the keys (perf, /servers/detail with 1,000 servers:
            // balance_nonroot, sqlite3BtreeInsert, freeSpace; 0.3-0.4 CPU-ms per statement of 1,000 uuids, six statements a
            // page). The keys' column has a name no table has, and the keys are distinct (Statements), so the rows are the same.
            var keyed = string.Concat(sql.AsSpan(0, at), $"= {KeyColumn}", sql.AsSpan(at + list.Length));
            return string.Concat(keyed.AsSpan(0, from[0].Index), $" FROM (SELECT value AS {KeyColumn} FROM json_each(@{name})) CROSS JOIN ", keyed.AsSpan(from[0].Index + from[0].Length));
        }
        return string.Concat(sql.AsSpan(0, at), $"IN (SELECT value FROM json_each(@{name}))", sql.AsSpan(at + list.Length));
    }

    /// <summary>The keys' column in a statement joined with them.</summary>
    private const string KeyColumn = "key_chunk_value";

    private static readonly System.Text.RegularExpressions.Regex FromClause = new(@"\sFROM\s", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>A NOT right before the IN: a NOT IN cannot become a join.</summary>
    private static readonly System.Text.RegularExpressions.Regex NotBefore = new(@"\bNOT\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly System.Text.RegularExpressions.Regex Or = new(@"\bOR\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
