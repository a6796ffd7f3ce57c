using Cloud.Modules.Kernel.Db;
using Dapper;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

/// <summary>
/// <see cref="KeyChunks"/>: on SQLite one statement whatever the number of keys (the keys as one JSON array read with
/// json_each, not n list parameters), on MariaDB chunks of 500 list-expanded keys; the same rows either way.
/// </summary>
public sealed class KeyChunksTests
{
    private const string Sql = "SELECT k AS Key, v AS Value FROM t WHERE k IN @Keys ORDER BY k";

    [Test]
    public async Task On_sqlite_a_thousand_keys_are_one_statement_that_finds_exactly_their_rows()
    {
        await using var c = new SqliteConnection("Data Source=:memory:");
        await c.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE t (k TEXT NOT NULL, v INTEGER NOT NULL); CREATE INDEX t_k ON t (k)");
        await c.ExecuteAsync("INSERT INTO t (k, v) VALUES (@K, @V)", Enumerable.Range(0, 1500).Select(i => new { K = $"key-{i:D4}\"'", V = i }));
        string[] keys = [.. Enumerable.Range(0, 1000).Select(i => $"key-{i * 3 / 2:D4}\"'").Distinct()];

        var statements = KeyChunks.Statements(SqlDialect.Sqlite, Sql, "Keys", keys).ToList();
        var rows = await c.QueryAsync<(string Key, long Value)>(statements[0].Sql, statements[0].Args);

        statements.Should().ContainSingle();
        statements[0].Sql.Should().Be("SELECT k AS Key, v AS Value FROM (SELECT value AS key_chunk_value FROM json_each(@Keys)) CROSS JOIN t WHERE k = key_chunk_value ORDER BY k");
        rows.Select(r => r.Key).Should().Equal(keys.Order(StringComparer.Ordinal));
    }

    [Test]
    public async Task On_sqlite_a_key_given_twice_still_finds_its_row_once_and_a_statement_with_or_keeps_its_in()
    {
        await using var c = new SqliteConnection("Data Source=:memory:");
        await c.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE t (k TEXT NOT NULL, v INTEGER NOT NULL); INSERT INTO t VALUES ('a', 1), ('b', 2), ('c', 3)");
        const string WithOr = "SELECT k AS Key, v AS Value FROM t WHERE v = 3 OR k IN @Keys ORDER BY k";

        var twice = KeyChunks.Statements(SqlDialect.Sqlite, Sql, "Keys", ["a", "b", "a"]).Single();
        var or = KeyChunks.Statements(SqlDialect.Sqlite, WithOr, "Keys", ["a"]).Single();

        (await c.QueryAsync<(string Key, long Value)>(twice.Sql, twice.Args)).Select(r => r.Key).Should().Equal("a", "b");
        or.Sql.Should().Be("SELECT k AS Key, v AS Value FROM t WHERE v = 3 OR k IN (SELECT value FROM json_each(@Keys)) ORDER BY k");
        (await c.QueryAsync<(string Key, long Value)>(or.Sql, or.Args)).Select(r => r.Key).Should().Equal("a", "c");
    }

    [Test]
    public async Task On_sqlite_a_not_in_keeps_its_in_and_excludes_the_keys()
    {
        await using var c = new SqliteConnection("Data Source=:memory:");
        await c.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE t (k TEXT NOT NULL, v INTEGER NOT NULL); INSERT INTO t VALUES ('a', 1), ('b', 2), ('c', 3)");

        var notIn = KeyChunks.Statements(SqlDialect.Sqlite, "SELECT k AS Key, v AS Value FROM t WHERE k NOT IN @Keys ORDER BY k", "Keys", ["a"]).Single();

        notIn.Sql.Should().Be("SELECT k AS Key, v AS Value FROM t WHERE k NOT IN (SELECT value FROM json_each(@Keys)) ORDER BY k");
        (await c.QueryAsync<(string Key, long Value)>(notIn.Sql, notIn.Args)).Select(r => r.Key).Should().Equal("b", "c");
    }

    [Test]
    public void On_mariadb_the_keys_are_bound_500_a_statement_with_the_sql_unchanged()
    {
        string[] keys = [.. Enumerable.Range(0, 1001).Select(i => $"k{i}")];

        var statements = KeyChunks.Statements(SqlDialect.MySql, Sql, "Keys", keys).ToList();

        statements.Select(s => s.Sql).Should().AllBe(Sql).And.HaveCount(3);
        statements.Select(s => ((DynamicParameters)s.Args).Get<string[]>("Keys").Length).Should().Equal(500, 500, 1);
    }

    [Test]
    public void No_keys_is_no_statement_and_a_statement_without_its_list_is_refused()
    {
        KeyChunks.Statements(SqlDialect.Sqlite, Sql, "Keys", []).Should().BeEmpty();
        var missing = () => KeyChunks.Statements(SqlDialect.Sqlite, "SELECT 1 WHERE k IN @KeysOther", "Keys", ["a"]).ToList();
        missing.Should().Throw<ArgumentException>();
    }
}
