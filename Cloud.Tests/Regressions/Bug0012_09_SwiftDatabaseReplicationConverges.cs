using System.Globalization;
using System.Net;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.Replication;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 9 (databases): database replication sent a whole container database as one JSON body, which the
/// servers' 1 MiB body limit refused past a few thousand objects, so such replicas never converged. Now rows go in
/// batches of per_diff after the sync point the peer keeps for the database, as swift's db_replicator does.
/// </summary>
[Category("Integration")]
public sealed class Bug0012_09_SwiftDatabaseReplicationConverges
{
    private const string Account = "AUTH_system";
    private const int Objects = 10_001;

    private static string ContainerDb(SwiftCluster cluster, SwiftStorageNode node, string container) =>
        DatabaseReplicationEndpoint.FileOf(Path.Combine(node.Devices, node.DeviceZones[0].Device), DatabaseKind.Container,
            cluster.Ring("container").GetPartition(Account, container), new SwiftHash("", "cloudd").Hex(Account, container));

    [Test]
    public async Task A_container_with_more_than_ten_thousand_objects_replicates_to_a_fresh_node()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(2);
        using var proxy = new HttpClient { BaseAddress = new Uri(cluster.ProxyUrl) };
        using var auth = new HttpRequestMessage(HttpMethod.Get, "/auth/v1.0");
        auth.Headers.Add("X-Auth-User", "system:root");
        auth.Headers.Add("X-Auth-Key", "testpass");
        using (var answer = await proxy.SendAsync(auth))
        {
            proxy.DefaultRequestHeaders.Add("X-Auth-Token", answer.Headers.GetValues("X-Auth-Token").Single());
        }
        using (var created = await proxy.PutAsync($"/v1/{Account}/big", new ByteArrayContent([])))
        {
            created.StatusCode.Should().Be(HttpStatusCode.Created, cluster.Output);
        }
        var (source, fresh) = (cluster.Nodes[0], cluster.Nodes[1]);
        var file = ContainerDb(cluster, source, "big");
        // The rows as object servers' container updates leave them, written straight into the source's database.
        var head = (await DatabaseReplica.LoadHeadAsync(file, DatabaseKind.Container))!;
        await DatabaseReplica.MergeAsync(file, DatabaseKind.Container, new DatabaseReplica
        {
            Info = head.Info,
            Rows = [.. Enumerable.Range(0, Objects).Select(i => new Dictionary<string, object?>
            {
                ["Name"] = $"photos/2026/12/06/object-with-a-realistic-name-{i:D6}.jpg",
                ["CreatedAt"] = (1764000000 + i).ToString(CultureInfo.InvariantCulture) + ".00000",
                ["Size"] = 1000L + i,
                ["ContentType"] = "image/jpeg",
                ["Etag"] = "0123456789abcdef0123456789abcdef",
                ["Deleted"] = 0L,
            })],
        });
        await fresh.KillAsync();
        fresh.Wipe();
        await fresh.StartAsync();

        var summary = await source.RunDaemonAsync("replicate", "--type=container", "--once");

        summary.Should().Contain("0 failures");
        var mine = (await DatabaseReplica.LoadAsync(file, DatabaseKind.Container))!;
        var theirs = await DatabaseReplica.LoadAsync(ContainerDb(cluster, fresh, "big"), DatabaseKind.Container);
        theirs.Should().NotBeNull(summary);
        theirs!.Rows.Should().HaveCount(Objects);
        theirs.Digest.Should().Be(mine.Digest);

        // In sync now: the next pass sends no rows, and a new row travels alone, after the fresh node's sync point.
        (await source.RunDaemonAsync("replicate", "--type=container", "--once")).Should().Contain("0 pushed");
        await DatabaseReplica.MergeAsync(file, DatabaseKind.Container, new DatabaseReplica
        {
            Info = head.Info,
            Rows = [new() { ["Name"] = "one-more", ["CreatedAt"] = "1765000000.00000", ["Size"] = 1L, ["ContentType"] = "text/plain", ["Etag"] = "x", ["Deleted"] = 0L }],
        });
        (await source.RunDaemonAsync("replicate", "--type=container", "--once")).Should().Contain("1 pushed");
        (await DatabaseReplica.LoadAsync(ContainerDb(cluster, fresh, "big"), DatabaseKind.Container))!.Rows.Should().HaveCount(Objects + 1);
    }
}
