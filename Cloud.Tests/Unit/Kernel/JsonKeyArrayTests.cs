using System.Text.Json;
using Cloud.Modules.Kernel.Db;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

/// <summary><see cref="JsonKeyArray"/>: the distinct keys in first-seen order, read back by json_each exactly as given.</summary>
public sealed class JsonKeyArrayTests
{
    [Test]
    public void Plain_keys_are_copied_once_each_in_first_seen_order()
    {
        JsonKeyArray.Of(["b-1", "A2", "b-1", "c3"]).Should().Be("[\"b-1\",\"A2\",\"c3\"]");
    }

    [Test]
    public void No_keys_are_an_empty_array()
    {
        JsonKeyArray.Of([]).Should().Be("[]");
    }

    [Test]
    public void Keys_an_attacker_chose_are_escaped_so_json_each_reads_them_back_unchanged()
    {
        string[] keys = ["x\"y", "a'b", "back\\slash", "é<>&", "line\nbreak", "\u0001", "", "x\"y", "💥"];

        var json = JsonKeyArray.Of(keys);

        JsonSerializer.Deserialize<string[]>(json).Should().Equal(keys.Distinct(StringComparer.Ordinal));
        using var c = new SqliteConnection("Data Source=:memory:");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = "SELECT value FROM json_each(@Keys) ORDER BY key";
        command.Parameters.AddWithValue("@Keys", json);
        using var reader = command.ExecuteReader();
        var read = new List<string>();
        while (reader.Read())
        {
            read.Add(reader.GetString(0));
        }
        read.Should().Equal(keys.Distinct(StringComparer.Ordinal));
    }
}
