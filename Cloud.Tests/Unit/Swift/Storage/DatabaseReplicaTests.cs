using System.Text.Json;
using Cloud.Modules.Swift.Storage.Replication;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

/// <summary>Merging container databases as the container replicator does: the newer row wins, deletes are rows too.</summary>
public sealed class DatabaseReplicaTests
{
    private const string T1 = "1764000001.00000";
    private const string T2 = "1764000002.00000";
    private const string T3 = "1764000003.00000";
    private readonly TempDir _dir = new();

    [TearDown]
    public void Clean() => _dir.Dispose();

    [Test]
    public async Task A_missing_database_is_created_from_a_peer_and_then_agrees_with_it()
    {
        var peer = Replica(T1, Row("o1", T1, 1, deleted: false));
        var file = Path.Combine(_dir.Path, "a", "c.db");

        await DatabaseReplica.MergeAsync(file, DatabaseKind.Container, RoundTrip(peer));

        var mine = (await DatabaseReplica.LoadAsync(file, DatabaseKind.Container))!;
        mine.Rows!.Select(r => r["Name"]).Should().Equal("o1");
        mine.Info!["Account"].Should().Be("a");
        var other = Path.Combine(_dir.Path, "b", "c.db");
        await DatabaseReplica.MergeAsync(other, DatabaseKind.Container, RoundTrip(mine));
        (await DatabaseReplica.LoadAsync(other, DatabaseKind.Container))!.Digest.Should().Be(mine.Digest);
    }

    [Test]
    public async Task Merging_keeps_the_newer_of_two_rows_and_a_newer_delete_removes_the_object_from_listings()
    {
        var file = Path.Combine(_dir.Path, "c.db");
        await DatabaseReplica.MergeAsync(file, DatabaseKind.Container, Replica(T1, Row("kept", T2, 2, false), Row("updated", T1, 1, false), Row("deleted", T1, 1, false)));

        await DatabaseReplica.MergeAsync(file, DatabaseKind.Container, RoundTrip(Replica(T2,
            Row("kept", T1, 9, true), Row("updated", T3, 3, false), Row("deleted", T2, 0, true), Row("new", T1, 4, false))));

        var rows = (await DatabaseReplica.LoadAsync(file, DatabaseKind.Container))!.Rows!.ToDictionary(r => (string)r["Name"]!);
        rows["kept"]["Size"].Should().Be(2L, "the peer's row is older");
        rows["updated"]["Size"].Should().Be(3L);
        rows["deleted"]["Deleted"].Should().Be(1L);
        rows["new"]["Size"].Should().Be(4L);
    }

    private static DatabaseReplica Replica(string put, params Dictionary<string, object?>[] rows) => new()
    {
        Digest = "",
        Info = new() { ["Account"] = "a", ["Container"] = "c", ["CreatedAt"] = T1, ["PutTimestamp"] = put, ["DeleteTimestamp"] = "0000000000.00000", ["Metadata"] = "{}" },
        Rows = [.. rows],
    };

    private static Dictionary<string, object?> Row(string name, string createdAt, long size, bool deleted) => new()
    {
        ["Name"] = name, ["CreatedAt"] = createdAt, ["Size"] = size, ["ContentType"] = "text/plain", ["Etag"] = "e", ["Deleted"] = deleted ? 1L : 0L,
    };

    // As it travels between nodes: values come back as JsonElement.
    private static DatabaseReplica RoundTrip(DatabaseReplica replica) =>
        JsonSerializer.Deserialize<DatabaseReplica>(JsonSerializer.SerializeToUtf8Bytes(replica))!;
}
