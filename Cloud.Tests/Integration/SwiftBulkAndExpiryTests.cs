using System.Formats.Tar;
using System.Net;
using System.Text;
using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The proxy's bulk middleware (extract-archive, bulk-delete), container_sync's X-Container-Sync-To checks and the
/// object expirer, on one proxy and storage role, driven by curl and the real swift CLI as a user would.
/// </summary>
[Category("Integration")]
public sealed class SwiftBulkAndExpiryTests
{
    private SwiftCluster _cluster = null!;
    private string _token = "";

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _cluster = await SwiftCluster.StartAsync(["--swift_container_sync_realms=Realm1,key=realmkey,cluster_Alpha=http://127.0.0.1:1/v1/"]);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _cluster.AuthUrl);
        request.Headers.Add("X-Auth-User", "system:root");
        request.Headers.Add("X-Auth-Key", "testpass");
        using var auth = await http.SendAsync(request);
        _token = auth.Headers.GetValues("X-Auth-Token").Single();
    }

    [OneTimeTearDown]
    public async Task StopCluster() => await _cluster.DisposeAsync();

    [Test]
    public async Task A_tar_extracts_into_containers_and_a_bulk_delete_removes_them()
    {
        ExternalTool.Require("/usr/bin/curl", "curl");
        var tar = WriteTar("site.tar", ("site/index.html", "<h1>hi</h1>"), ("site/css/main.css", "body{}"), ("assets/logo.txt", "logo"), ("top.txt", "skipped"));
        var extracted = await Curl("-X", "PUT", "-T", tar, "-H", "Accept: application/json", $"{_cluster.ProxyUrl}/v1/AUTH_system?extract-archive=tar");
        var result = JsonDocument.Parse(extracted).RootElement;
        result.GetProperty("Response Status").GetString().Should().Be("201 Created", extracted);
        result.GetProperty("Number Files Created").GetInt32().Should().Be(3, "a file at the account's top level names no container");
        (await Swift("list", "site")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("css/main.css", "index.html");
        (await Swift("list", "assets")).Stdout.Trim().Should().Be("logo.txt");

        var list = Path.Combine(_cluster.Work, "delete.txt");
        await File.WriteAllTextAsync(list, "site/index.html\nsite/css/main.css\nsite/nope\nassets\n");
        var deleted = await Curl("-X", "POST", "--data-binary", "@" + list, "-H", "Content-Type: text/plain", $"{_cluster.ProxyUrl}/v1/AUTH_system?bulk-delete");
        deleted.Should().Contain("Number Deleted: 2\n").And.Contain("Number Not Found: 1\n").And.Contain("Response Status: 400 Bad Request\n")
            .And.Contain("assets, 409 Conflict", "a container that still holds an object is not deleted");
        (await Swift("list", "site")).Stdout.Trim().Should().BeEmpty();

        // swiftclient deletes a container's objects with bulk-delete when /info offers it.
        (await Swift("delete", "assets")).Stdout.Should().Contain("logo.txt");
        (await Swift("list")).Stdout.Should().NotContain("assets");
    }

    [Test]
    public async Task A_gzip_tar_extracts_under_a_container_and_hostile_members_write_nothing()
    {
        var tar = WriteTar("plain.tar", ("a.txt", "A"), ("../escape.txt", "E"), ("sub/b.txt", "B"));
        var archive = Path.Combine(_cluster.Work, "bundle.tar.gz");
        await using (var gz = new System.IO.Compression.GZipStream(File.Create(archive), System.IO.Compression.CompressionLevel.Fastest))
        {
            await using var raw = File.OpenRead(tar);
            await raw.CopyToAsync(gz);
        }
        await Swift("post", "bundle");
        var answer = await Curl("-X", "PUT", "-T", archive, $"{_cluster.ProxyUrl}/v1/AUTH_system/bundle?extract-archive=tar.gz");
        answer.Should().Contain("Number Files Created: 3\n").And.Contain("Response Status: 201 Created\n");
        // As in swift, a member's name is an object name under the container, never a path outside it.
        (await Swift("list", "bundle")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("../escape.txt", "a.txt", "sub/b.txt");

        var withLink = Path.Combine(_cluster.Work, "link.tar");
        await using (var file = File.Create(withLink))
        await using (var writer = new TarWriter(file, TarEntryFormat.Pax))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bundle/passwd") { LinkName = "/etc/passwd" });
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.CharacterDevice, "bundle/null"));
        }
        var links = await Curl("-X", "PUT", "-T", withLink, "-H", "Accept: application/json", $"{_cluster.ProxyUrl}/v1/AUTH_system?extract-archive=tar");
        links.Should().Contain("\"Response Body\": \"Invalid Tar File: No Valid Files\"", "links and devices are skipped");

        var garbage = Path.Combine(_cluster.Work, "garbage.tar");
        await File.WriteAllTextAsync(garbage, "this is not a tar file at all");
        (await Curl("-X", "PUT", "-T", garbage, $"{_cluster.ProxyUrl}/v1/AUTH_system/bundle?extract-archive=tar"))
            .Should().Contain("Response Body: Invalid Tar File: truncated header\n");
        var truncated = Path.Combine(_cluster.Work, "truncated.tar");
        var whole = WriteTar("whole.tar", ("big.bin", new string('x', 5000)));
        await File.WriteAllBytesAsync(truncated, (await File.ReadAllBytesAsync(whole))[..2048]);
        (await Curl("-X", "PUT", "-T", truncated, $"{_cluster.ProxyUrl}/v1/AUTH_system/bundle?extract-archive=tar"))
            .Should().Contain("Response Body: Invalid Tar File: unexpected end of data\n");
        (await Swift("list", "bundle")).Stdout.Should().NotContain("big.bin", "a member cut short is not written");
    }

    [Test]
    public async Task An_object_with_x_delete_after_leaves_the_listing_once_the_expirer_has_run()
    {
        var file = Path.Combine(_cluster.Work, "short.txt");
        await File.WriteAllTextAsync(file, "short-lived");
        await Swift("upload", "expiring", "short.txt", "-H", "X-Delete-After: 1");
        await File.WriteAllTextAsync(Path.Combine(_cluster.Work, "long.txt"), "long-lived");
        await Swift("upload", "expiring", "long.txt");
        (await Swift("list", "expiring")).Stdout.Should().Contain("short.txt");
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var node in _cluster.Nodes)
        {
            await node.RunDaemonAsync("expire", "--once");
        }
        (await Swift("list", "expiring")).Stdout.Trim().Should().Be("long.txt");
        (await Swift("stat", "expiring")).Stdout.Should().Contain("Objects: 1");
    }

    [Test]
    public async Task Bad_expiry_headers_and_sync_targets_are_refused_with_swifts_messages()
    {
        (await Curl("-X", "PUT", "--data-binary", "x", "-H", "X-Delete-After: 1.5", $"{_cluster.ProxyUrl}/v1/AUTH_system/expiring/bad"))
            .Should().Be("Non-integer X-Delete-After");
        (await Curl("-X", "PUT", "--data-binary", "x", "-H", "X-Delete-At: 1000000000", $"{_cluster.ProxyUrl}/v1/AUTH_system/expiring/bad"))
            .Should().Be("X-Delete-At in past");
        await Swift("post", "synced");
        (await Curl("-X", "POST", "-H", "X-Container-Sync-To: //norealm/c/AUTH_x/c", $"{_cluster.ProxyUrl}/v1/AUTH_system/synced"))
            .Should().Be("No realm key for 'norealm'");
        (await Curl("-X", "POST", "-H", "X-Container-Sync-To: //realm1/beta/AUTH_x/c", $"{_cluster.ProxyUrl}/v1/AUTH_system/synced"))
            .Should().Be("No cluster endpoint for 'realm1' 'beta'");
        (await Curl("-X", "POST", "-H", "X-Container-Sync-To: https://elsewhere.example.com/v1/AUTH_x/c", $"{_cluster.ProxyUrl}/v1/AUTH_system/synced"))
            .Should().Be("Invalid host 'elsewhere.example.com' in X-Container-Sync-To");
        await Swift("post", "synced", "--sync-to", "//realm1/alpha/AUTH_x/c", "--sync-key", "secret");
        (await Swift("stat", "synced")).Stdout.Should().Contain("Sync To: //realm1/alpha/AUTH_x/c");
        var info = JsonDocument.Parse(await Curl($"{_cluster.ProxyUrl}/info")).RootElement;
        info.GetProperty("container_sync").GetProperty("realms").GetRawText().Should().Be("{\"REALM1\":{\"clusters\":{\"ALPHA\":{}}}}");
        info.GetProperty("bulk_delete").GetProperty("max_deletes_per_request").GetInt32().Should().Be(10000);
    }

    private string WriteTar(string name, params (string Name, string Text)[] members)
    {
        var path = Path.Combine(_cluster.Work, name);
        using var file = File.Create(path);
        using var writer = new TarWriter(file, TarEntryFormat.Ustar);
        foreach (var (member, text) in members)
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, member) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        }
        return path;
    }

    private async Task<string> Curl(params string[] args)
    {
        var run = await ExternalTool.RunAsync("/usr/bin/curl", ["-sS", "-H", $"X-Auth-Token: {_token}", .. args], _cluster.Work, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, run.ToString());
        return run.Stdout;
    }

    private async Task<ToolRun> Swift(params string[] args)
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        var run = await ExternalTool.RunAsync("/usr/bin/swift", ["-V", "1", "-A", _cluster.AuthUrl, "-U", "system:root", "-K", "testpass", .. args], _cluster.Work, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)}: {run}\n{_cluster.Output}");
        return run;
    }
}
