using System.Net;
using System.Text;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Common.Ring;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The storage role's consistency daemons on 2- and 3-zone clusters of separate <c>cloudd --roles=swift-storage</c>
/// processes (one per zone), run with <c>cloudd swift replicate|audit|update --once</c> as an operator would.
/// </summary>
[Category("Integration")]
public sealed class SwiftReplicationTests
{
    private const string Account = "AUTH_system";

    [TestCase(2)]
    [TestCase(3)]
    public async Task Every_object_has_one_replica_in_each_zone(int zones)
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(zones);
        using var proxy = await ProxyAsync(cluster);
        var names = await PutObjectsAsync(proxy, "zoned", 8);

        foreach (var name in names)
        {
            var hash = HashOf("zoned", name);
            cluster.Nodes.Select(n => n.DataFiles().Count(f => HashDirectoryOf(f) == hash))
                .Should().AllBeEquivalentTo(1, $"{name} has exactly one replica per zone");
        }
    }

    [Test]
    public async Task With_one_storage_process_killed_reads_writes_and_listings_still_work()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(3);
        using var proxy = await ProxyAsync(cluster);
        await PutObjectsAsync(proxy, "survivor", 1);

        await cluster.Nodes[2].KillAsync();

        (await proxy.GetStringAsync($"/v1/{Account}/survivor/o0")).Should().Be("content 0");
        using (var put = await proxy.PutAsync($"/v1/{Account}/survivor/after", new StringContent("written while down")))
        {
            put.StatusCode.Should().Be(HttpStatusCode.Created, cluster.Output);
        }
        (await proxy.GetStringAsync($"/v1/{Account}/survivor/after")).Should().Be("written while down");
        (await proxy.GetStringAsync($"/v1/{Account}/survivor")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo(["after", "o0"]);
    }

    [Test]
    public async Task A_wiped_node_gets_every_object_and_database_back_from_replication()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(2);
        using var proxy = await ProxyAsync(cluster);
        await PutObjectsAsync(proxy, "wiped", 10);
        var node = cluster.Nodes[1];
        var before = Relative(node, node.DataFiles());
        var databases = Relative(node, node.Files("*.db"));
        before.Should().HaveCount(10);

        await node.KillAsync();
        node.Wipe();
        await node.StartAsync();
        node.DataFiles().Should().BeEmpty();
        var summary = await cluster.Nodes[0].RunDaemonAsync("replicate", "--once");

        Relative(node, node.DataFiles()).Should().BeEquivalentTo(before, summary);
        Relative(node, node.Files("*.db")).Should().BeEquivalentTo(databases, summary);
        using var http = new HttpClient();
        (await http.GetStringAsync(DirectObjectUrl(cluster, node, "wiped", "o3"))).Should().Be("content 3");
        (await DirectListingAsync(cluster, node, "wiped")).Should().HaveCount(10);
    }

    [Test]
    public async Task A_corrupted_object_is_quarantined_by_the_auditor_and_repaired_by_replication()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(3);
        using var proxy = await ProxyAsync(cluster);
        await PutObjectsAsync(proxy, "rot", 3);
        var node = cluster.Nodes[0];
        var hash = HashOf("rot", "o1");
        var data = node.DataFiles().Single(f => HashDirectoryOf(f) == hash);
        await using (var file = new FileStream(data, FileMode.Open, FileAccess.Write))
        {
            // In place, so the metadata xattr stays and only the content rots.
            file.Write("CONTENT 1"u8);
        }

        var audit = await node.RunDaemonAsync("audit", "--once");

        audit.Should().Contain("1 quarantined");
        File.Exists(data).Should().BeFalse();
        Directory.Exists(Path.Combine(node.Devices, node.DeviceZones[0].Device, "quarantined", "objects", hash)).Should().BeTrue();
        foreach (var peer in cluster.Nodes.Skip(1))
        {
            await peer.RunDaemonAsync("replicate", "--type=object", "--once");
        }
        using var http = new HttpClient();
        (await http.GetStringAsync(DirectObjectUrl(cluster, node, "rot", "o1"))).Should().Be("content 1");
        (await node.RunDaemonAsync("audit", "--once")).Should().Contain("0 quarantined");
    }

    [Test]
    public async Task An_object_deleted_while_a_node_was_down_does_not_come_back_after_replication()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(3);
        using var proxy = await ProxyAsync(cluster);
        await PutObjectsAsync(proxy, "gone", 2);
        var late = cluster.Nodes[2];
        await late.KillAsync();
        using (var delete = await proxy.DeleteAsync($"/v1/{Account}/gone/o0"))
        {
            delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }
        await late.StartAsync();
        var hash = HashOf("gone", "o0");
        late.DataFiles().Should().Contain(f => HashDirectoryOf(f) == hash, "the node missed the delete");

        // The stale node goes first: its old copy must lose to the others' tombstones.
        foreach (var node in cluster.Nodes.Reverse())
        {
            await node.RunDaemonAsync("replicate", "--once");
        }

        foreach (var node in cluster.Nodes)
        {
            node.DataFiles().Should().NotContain(f => HashDirectoryOf(f) == hash);
            node.Files("*.ts").Should().Contain(f => HashDirectoryOf(f) == hash);
        }
        using (var get = await proxy.GetAsync($"/v1/{Account}/gone/o0"))
        {
            get.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }
        (await DirectListingAsync(cluster, late, "gone")).Should().BeEquivalentTo(["o1"]);
    }

    [Test]
    public async Task Of_two_racing_writers_the_later_timestamp_wins_on_every_node_after_replication()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(3);
        // The later write reaches one node; the earlier one reaches the other two (a majority of stale copies).
        await DirectPutAsync(cluster, cluster.Nodes[0], "race", "name", "1764000002.00000", "later");
        await DirectPutAsync(cluster, cluster.Nodes[1], "race", "name", "1764000001.00000", "earlier");
        await DirectPutAsync(cluster, cluster.Nodes[2], "race", "name", "1764000001.00000", "earlier");

        foreach (var node in cluster.Nodes)
        {
            await node.RunDaemonAsync("replicate", "--type=object", "--once");
        }

        using var http = new HttpClient();
        foreach (var node in cluster.Nodes)
        {
            using var get = await http.GetAsync(DirectObjectUrl(cluster, node, "race", "name"));
            (await get.Content.ReadAsStringAsync()).Should().Be("later");
            get.Headers.GetValues("X-Timestamp").Single().Should().Be("1764000002.00000");
        }
    }

    [Test]
    public async Task A_handoff_partition_is_pushed_to_its_primaries_and_removed_from_the_handoff()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(3, replicas: 2);
        var ring = cluster.Ring("object");
        var primaries = ring.GetNodes(Account, "handoff", "name").Devices.Select(d => d.Device).ToList();
        SwiftStorageNode NodeOf(string device) => cluster.Nodes.Single(n => n.DeviceZones[0].Device == device);
        var (written, missed) = (NodeOf(primaries[0]), NodeOf(primaries[1]));
        var handoff = cluster.Nodes.Single(n => !primaries.Contains(n.DeviceZones[0].Device));
        // As a proxy does while a primary is down: the write goes to the other primary and to a handoff device.
        foreach (var node in new[] { written, handoff })
        {
            await DirectPutAsync(cluster, node, "handoff", "name", "1764000000.00000", "handed off");
        }
        var partition = Path.Combine(handoff.Devices, handoff.DeviceZones[0].Device, "objects", ring.GetPartition(Account, "handoff", "name").ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.Exists(partition).Should().BeTrue();

        var summary = await handoff.RunDaemonAsync("replicate", "--type=object", "--once");

        summary.Should().Contain("1 handoffs removed");
        Directory.Exists(partition).Should().BeFalse();
        using var http = new HttpClient();
        (await http.GetStringAsync(DirectObjectUrl(cluster, missed, "handoff", "name"))).Should().Be("handed off");
    }

    [Test]
    public async Task A_container_update_that_fails_is_queued_and_delivered_by_the_updater()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(3);
        using var proxy = await ProxyAsync(cluster);
        await PutObjectsAsync(proxy, "queued", 0);
        var down = cluster.Nodes[2];
        // A name whose update for the dead node's container replica falls to a live object replica (swift's spread:
        // container replica j goes with object replica j mod n).
        var containerNodes = cluster.Ring("container").GetNodes(Account, "queued").Devices;
        var deadContainer = containerNodes.Select((n, j) => (n, j)).Single(x => x.n.Port == down.ContainerPort).j;
        var late = Enumerable.Range(0, 100).Select(i => $"late{i}")
            .First(name => cluster.Ring("object").GetNodes(Account, "queued", name).Devices[deadContainer % 3].Port != down.ObjectPort);
        var carrier = cluster.Nodes.Single(n => n.ObjectPort == cluster.Ring("object").GetNodes(Account, "queued", late).Devices[deadContainer % 3].Port);
        await down.KillAsync();
        using (var put = await proxy.PutAsync($"/v1/{Account}/queued/{late}", new StringContent("late")))
        {
            put.StatusCode.Should().Be(HttpStatusCode.Created);
        }
        Pendings(carrier).Should().ContainSingle("{0} could not update the container on the dead node", carrier.ObjectUrl);
        await down.StartAsync();

        (await carrier.RunDaemonAsync("update", "--type=object", "--once")).Should().Contain("1 container updates delivered");
        Pendings(carrier).Should().BeEmpty();
        (await DirectListingAsync(cluster, down, "queued")).Should().BeEquivalentTo([late]);
    }

    [Test]
    public async Task The_container_updater_brings_an_account_that_missed_writes_up_to_date()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(3);
        using var proxy = await ProxyAsync(cluster);
        await PutObjectsAsync(proxy, "counted", 1);
        var behind = cluster.Nodes[2];
        await behind.KillAsync();
        await PutObjectsAsync(proxy, "counted", 3);
        await behind.StartAsync();
        // Account totals come from the container updaters, not from each write, so the behind node's account learns
        // all three objects only from them.
        // Container replication first: rows whose update fell to the dead node itself reach its container that way.
        foreach (var node in cluster.Nodes)
        {
            await node.RunDaemonAsync("replicate", "--type=container", "--once");
        }
        foreach (var node in cluster.Nodes)
        {
            await node.RunDaemonAsync("update", "--once");
        }

        (await AccountObjectCountAsync(cluster, behind)).Should().Be("3");
    }

    [Test]
    public async Task The_reaper_deletes_every_object_and_container_of_a_deleted_account()
    {
        await using var cluster = await SwiftCluster.StartZonesAsync(3);
        using var proxy = await ProxyAsync(cluster);
        await PutObjectsAsync(proxy, "doomed", 3);
        using var http = new HttpClient();
        var accountPartition = cluster.Ring("account").GetPartition(Account);
        foreach (var node in cluster.Nodes)
        {
            using var delete = new HttpRequestMessage(HttpMethod.Delete, node.AccountUrl + SwiftPath.Of(node.DeviceZones[0].Device, accountPartition, Account));
            // Full precision: a whole-second stamp can be older than the account's own creation a moment ago.
            delete.Headers.Add("X-Timestamp", (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalSeconds.ToString("F5", System.Globalization.CultureInfo.InvariantCulture));
            (await http.SendAsync(delete)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        var summaries = new List<string>();
        foreach (var node in cluster.Nodes)
        {
            summaries.Add(await node.RunDaemonAsync("reap", "--once"));
        }

        summaries.Should().ContainSingle(s => s.Contains("1 deleted accounts, 1 containers and 3 objects reaped"), "only the account's first primary reaps: " + string.Join(" | ", summaries));
        cluster.Nodes.Should().AllSatisfy(n => n.DataFiles().Should().BeEmpty());
        foreach (var node in cluster.Nodes)
        {
            var partition = cluster.Ring("container").GetPartition(Account, "doomed");
            using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, node.ContainerUrl + SwiftPath.Of(node.DeviceZones[0].Device, partition, Account, "doomed")));
            head.StatusCode.Should().Be(HttpStatusCode.NotFound, "the container is deleted on every replica");
        }
    }

    private static async Task<string> AccountObjectCountAsync(SwiftCluster cluster, SwiftStorageNode node)
    {
        var partition = cluster.Ring("account").GetPartition(Account);
        using var http = new HttpClient();
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, node.AccountUrl + SwiftPath.Of(node.DeviceZones[0].Device, partition, Account)));
        return head.Headers.GetValues("X-Account-Object-Count").Single();
    }

    private static IReadOnlyList<string> Pendings(SwiftStorageNode node)
    {
        var root = Path.Combine(node.Devices, node.DeviceZones[0].Device, "async_pending");
        return Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];
    }

    private static async Task<HttpClient> ProxyAsync(SwiftCluster cluster)
    {
        var http = new HttpClient { BaseAddress = new Uri(cluster.ProxyUrl) };
        using var auth = new HttpRequestMessage(HttpMethod.Get, "/auth/v1.0");
        auth.Headers.Add("X-Auth-User", "system:root");
        auth.Headers.Add("X-Auth-Key", "testpass");
        using var answer = await http.SendAsync(auth);
        answer.StatusCode.Should().Be(HttpStatusCode.OK, cluster.Output);
        http.DefaultRequestHeaders.Add("X-Auth-Token", answer.Headers.GetValues("X-Auth-Token").Single());
        return http;
    }

    private static async Task<IReadOnlyList<string>> PutObjectsAsync(HttpClient proxy, string container, int count)
    {
        using (var created = await proxy.PutAsync($"/v1/{Account}/{container}", new ByteArrayContent([])))
        {
            created.IsSuccessStatusCode.Should().BeTrue();
        }
        var names = Enumerable.Range(0, count).Select(i => $"o{i}").ToList();
        for (var i = 0; i < count; i++)
        {
            using var put = await proxy.PutAsync($"/v1/{Account}/{container}/{names[i]}", new StringContent($"content {i}", Encoding.UTF8, "text/plain"));
            put.StatusCode.Should().Be(HttpStatusCode.Created);
        }
        return names;
    }

    private static string HashOf(string container, string name) => new SwiftHash("", "cloudd").Hex(Account, container, name);

    private static string HashDirectoryOf(string file) => Path.GetFileName(Path.GetDirectoryName(file))!;

    /// <summary>The object names in the container's database on <paramref name="node"/> itself.</summary>
    private static async Task<string[]> DirectListingAsync(SwiftCluster cluster, SwiftStorageNode node, string container)
    {
        var partition = cluster.Ring("container").GetPartition(Account, container);
        using var http = new HttpClient();
        var listing = await http.GetStringAsync(node.ContainerUrl + SwiftPath.Of(node.DeviceZones[0].Device, partition, Account, container));
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A write straight to <paramref name="node"/>'s object server with the writer's own timestamp, as a proxy sends it.</summary>
    private static async Task DirectPutAsync(SwiftCluster cluster, SwiftStorageNode node, string container, string name, string timestamp, string content)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, DirectObjectUrl(cluster, node, container, name)) { Content = new StringContent(content) };
        request.Headers.Add("X-Timestamp", timestamp);
        (await http.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    private static string DirectObjectUrl(SwiftCluster cluster, SwiftStorageNode node, string container, string name)
    {
        var partition = cluster.Ring("object").GetPartition(Account, container, name);
        return node.ObjectUrl + SwiftPath.Of(node.DeviceZones[0].Device, partition, Account, container, name);
    }

    private static IReadOnlyList<string> Relative(SwiftStorageNode node, IEnumerable<string> files) =>
        files.Select(f => Path.GetRelativePath(node.Devices, f)).ToList();
}
