using Cloud.Modules.Kernel.Db;
using Dapper;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

/// <summary>
/// <see cref="DbRow"/> reads SQLite's columns straight from the statement: the same values as the reader's getters
/// (strings a tenant chose, NULLs, numbers kept as text and text read as numbers), the same refusal of a NULL where
/// a value must be, directly and through Dapper's wrapped reader.
/// </summary>
public sealed class DbRowTests
{
    private static readonly string[] Texts = ["plain", "", "é💥<>\"'\\", "nul\0inside", "\u0001", new string('x', 70000), "12", "-7"];

    [Test]
    public async Task Every_column_reads_as_the_getters_read_it([Values(false, true)] bool throughDapper)
    {
        await using var c = new SqliteConnection("Data Source=:memory:");
        await c.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE t (s TEXT, n INTEGER, m TEXT)");
        foreach (var text in Texts)
        {
            await c.ExecuteAsync("INSERT INTO t (s, n, m) VALUES (@S, @N, @M)", new { S = text, N = (long)text.Length - 3, M = text.Length % 2 == 0 ? null : text });
        }
        await c.ExecuteAsync("INSERT INTO t (s, n, m) VALUES (NULL, NULL, '42')");

        await using var reader = throughDapper
            ? await c.ExecuteReaderAsync("SELECT s, n, m FROM t ORDER BY rowid")
            : await new SqliteCommand("SELECT s, n, m FROM t ORDER BY rowid", c).ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            var row = DbRow.Of(reader);
            row.IsSqlite.Should().BeTrue();
            for (var column = 0; column < 3; column++)
            {
                row.IsNull(column).Should().Be(reader.IsDBNull(column));
                row.StringOrNull(column).Should().Be(reader.IsDBNull(column) ? null : reader.GetString(column));
                if (reader.IsDBNull(column))
                {
                    FluentActions.Invoking(() => DbRow.Of(reader).String(column)).Should().Throw<InvalidCastException>();
                    FluentActions.Invoking(() => DbRow.Of(reader).Int64(column)).Should().Throw<InvalidCastException>();
                    row.Int64OrNull(column).Should().BeNull();
                    continue;
                }
                row.String(column).Should().Be(reader.GetString(column));
                row.Int64(column).Should().Be(reader.GetInt64(column));
                row.Int64OrNull(column).Should().Be(reader.GetInt64(column));
                row.Boolean(column).Should().Be(reader.GetBoolean(column));
            }
            if (!reader.IsDBNull(1))
            {
                row.Int32(1).Should().Be(reader.GetInt32(1));
            }
            rows++;
        }
        rows.Should().Be(Texts.Length + 1);
    }
}
