using System.Net;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Container sync between two cloudd object stores (each a proxy and a storage role on its own ports) in one realm:
/// <c>swift post -t //realm1/&lt;other&gt;/AUTH_system/c -k key</c> on both, uploads and a delete on one, one pass of
/// <c>cloudd swift container-sync --once</c>, and the other store has the same objects with the same timestamps; and
/// the receiving side's refusals (a bad X-Container-Sync-Auth, a wrong X-Container-Sync-Key) and its rule that an
/// older synced write loses.
/// </summary>
[Category("Integration")]
public sealed class SwiftContainerSyncTests
{
    // Each proxy only checks that the realm and cluster exist; the daemon gets the real endpoints once both listen.
    private const string PlaceholderRealms = "--swift_container_sync_realms=Realm1,key=realmkey,cluster_A=http://127.0.0.1:1/v1/,cluster_B=http://127.0.0.1:2/v1/";

    private SwiftCluster _a = null!;
    private SwiftCluster _b = null!;

    [OneTimeSetUp]
    public async Task StartClusters()
    {
        var clusters = await Task.WhenAll(SwiftCluster.StartAsync([PlaceholderRealms]), SwiftCluster.StartAsync([PlaceholderRealms]));
        (_a, _b) = (clusters[0], clusters[1]);
    }

    [OneTimeTearDown]
    public async Task StopClusters()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Test]
    public async Task Uploads_and_deletes_on_one_store_reach_the_other_after_a_sync_pass()
    {
        await Swift(_a, "post", "mirror", "-t", "//realm1/b/AUTH_system/mirror", "-k", "sharedkey");
        await Swift(_b, "post", "mirror", "-t", "//realm1/a/AUTH_system/mirror", "-k", "sharedkey");
        foreach (var name in new[] { "one.txt", "two words.txt", "gone.txt" })
        {
            await File.WriteAllTextAsync(Path.Combine(_a.Work, name), "content of " + name);
            await Swift(_a, "upload", "mirror", name, "-H", "X-Object-Meta-Color: blue");
        }
        await Swift(_a, "delete", "mirror", "gone.txt");
        await File.WriteAllTextAsync(Path.Combine(_a.Work, "late.txt"), "late");

        await SyncPassAsync(_a);

        (await Swift(_b, "list", "mirror")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("one.txt", "two words.txt");
        (await Swift(_b, "download", "mirror", "two words.txt", "-o", "-")).Stdout.Should().Be("content of two words.txt");
        var there = (await Swift(_b, "stat", "mirror", "one.txt")).Stdout;
        there.Should().Contain("Meta Color: blue");
        Timestamp((await Swift(_a, "stat", "mirror", "one.txt")).Stdout).Should().Be(Timestamp(there), "the sender's X-Timestamp is kept");

        await Swift(_a, "delete", "mirror", "one.txt");
        await Swift(_a, "upload", "mirror", "late.txt");
        await SyncPassAsync(_a);
        (await Swift(_b, "list", "mirror")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("late.txt", "two words.txt");
    }

    [Test]
    public async Task A_static_large_object_syncs_as_its_manifest_with_its_segments_beside_it()
    {
        await Swift(_a, "post", "slomirror", "-t", "//realm1/b/AUTH_system/slomirror", "-k", "slokey");
        await Swift(_b, "post", "slomirror", "-k", "slokey");
        var content = string.Concat(Enumerable.Range(0, 40).Select(i => $"line {i}\n"));
        await File.WriteAllTextAsync(Path.Combine(_a.Work, "big.txt"), content);
        await Swift(_a, "upload", "slomirror", "big.txt", "--use-slo", "-S", "100", "--segment-container", "slomirror");

        await SyncPassAsync(_a);

        (await Swift(_b, "download", "slomirror", "big.txt", "-o", "-")).Stdout.Should().Be(content, "the manifest arrives as stored and joins the synced segments");
    }

    [Test]
    public async Task The_receiver_lets_in_only_valid_synced_writes_and_an_older_one_loses()
    {
        await Swift(_b, "post", "inbox", "-k", "inboxkey");
        var url = $"{_b.ProxyUrl}/v1/AUTH_system/inbox/obj";
        using var http = new HttpClient();

        using var badAuth = await Send(http, HttpMethod.Put, url, "x", ("X-Timestamp", "1700000000.00000"), ("X-Container-Sync-Auth", "realm1 nonce deadbeef"));
        badAuth.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await badAuth.Content.ReadAsStringAsync()).Should().Be("X-Container-Sync-Auth header not valid; contact cluster operator for support.");
        badAuth.Headers.WwwAuthenticate.ToString().Should().Be("SwiftContainerSync realm=\"AUTH_system\"");

        using var wrongKey = await Send(http, HttpMethod.Put, url, "x", ("X-Timestamp", "1700000000.00000"), ("X-Container-Sync-Key", "guess"));
        wrongKey.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a wrong key is no key: the request needs a token");

        using var synced = await Send(http, HttpMethod.Put, url, "newer", ("X-Timestamp", "1700000002.00000"), ("X-Container-Sync-Key", "inboxkey"));
        synced.StatusCode.Should().Be(HttpStatusCode.Created);
        using var older = await Send(http, HttpMethod.Put, url, "older", ("X-Timestamp", "1700000001.00000"), ("X-Container-Sync-Key", "inboxkey"));
        older.StatusCode.Should().Be(HttpStatusCode.Accepted, "swift's proxy answers an older PUT 202");
        using var olderDelete = await Send(http, HttpMethod.Delete, url, null, ("X-Timestamp", "1700000001.00000"), ("X-Container-Sync-Key", "inboxkey"));
        ((int)olderDelete.StatusCode).Should().BeOneOf(202, 409);
        (await Swift(_b, "download", "inbox", "obj", "-o", "-")).Stdout.Should().Be("newer");
        Timestamp((await Swift(_b, "stat", "inbox", "obj")).Stdout).Should().Be("1700000002.00000");
    }

    /// <summary>One container-sync pass on every storage node of <paramref name="from"/>, with both clusters' real endpoints.</summary>
    private async Task SyncPassAsync(SwiftCluster from)
    {
        var realms = $"--swift_container_sync_realms=Realm1,key=realmkey,cluster_A={_a.ProxyUrl}/v1/,cluster_B={_b.ProxyUrl}/v1/";
        foreach (var node in from.Nodes)
        {
            (await node.RunDaemonAsync("container-sync", "--once", realms)).Should().Contain("failures").And.Contain(" 0 failures");
        }
    }

    private static string Timestamp(string stat) =>
        stat.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("X-Timestamp:", StringComparison.Ordinal))["X-Timestamp:".Length..].Trim();

    private static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string url, string? body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body);
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await http.SendAsync(request);
    }

    private static async Task<ToolRun> Swift(SwiftCluster cluster, params string[] args)
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        var run = await ExternalTool.RunAsync("/usr/bin/swift", ["-V", "1", "-A", cluster.AuthUrl, "-U", "system:root", "-K", "testpass", .. args], cluster.Work, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)}: {run}\n{cluster.Output}");
        return run;
    }
}
