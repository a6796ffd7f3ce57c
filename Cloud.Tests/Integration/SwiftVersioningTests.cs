using System.Net;
using System.Text;
using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The proxy's versioned_writes (X-Versions-Location, X-History-Location) and object_versioning (X-Versions-Enabled)
/// middlewares, driven by the real swift CLI where it has the verb and by plain HTTP otherwise.
/// </summary>
[Category("Integration")]
public sealed class SwiftVersioningTests
{
    private SwiftCluster _cluster = null!;
    private readonly HttpClient _http = new();
    private string _token = "";

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _cluster = await SwiftCluster.StartAsync();
        using var auth = new HttpRequestMessage(HttpMethod.Get, _cluster.AuthUrl);
        auth.Headers.Add("X-Auth-User", "system:root");
        auth.Headers.Add("X-Auth-Key", "testpass");
        using var answer = await _http.SendAsync(auth);
        _token = answer.Headers.GetValues("X-Auth-Token").Single();
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task Stack_mode_archives_an_overwritten_object_and_a_delete_brings_it_back()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        await Swift("post", "stack-archive");
        await Swift("post", "-H", "X-Versions-Location: stack-archive", "stack");
        (await Swift("stat", "stack")).Stdout.Should().Contain("stack-archive");
        await Upload("stack", "note.txt", "first");
        await Upload("stack", "note.txt", "second");
        (await Swift("list", "stack-archive")).Stdout.Trim().Should().StartWith("008note.txt/", "swift names versions <len hex3><name>/<timestamp>");

        await Swift("delete", "stack", "note.txt");

        (await Send("GET", "/stack/note.txt")).Body.Should().Be("first");
        (await Swift("list", "stack-archive")).Stdout.Trim().Should().BeEmpty("the restored version leaves the archive");
    }

    [Test]
    public async Task History_mode_archives_the_object_and_a_delete_marker_on_delete()
    {
        (await Send("PUT", "/history-archive")).Status.Should().Be(HttpStatusCode.Created);
        (await Send("PUT", "/history", headers: ("X-History-Location", "history-archive"))).Status.Should().Be(HttpStatusCode.Created);
        (await Send("PUT", "/history/o", "h1")).Status.Should().Be(HttpStatusCode.Created);

        (await Send("DELETE", "/history/o")).Status.Should().Be(HttpStatusCode.NoContent);

        (await Send("GET", "/history/o")).Status.Should().Be(HttpStatusCode.NotFound);
        var archive = JsonDocument.Parse((await Send("GET", "/history-archive?format=json")).Body).RootElement.EnumerateArray().ToList();
        archive.Select(i => i.GetProperty("content_type").GetString()).Should().Equal("application/octet-stream", "application/x-deleted;swift_versions_deleted=1");
        archive.Select(i => i.GetProperty("name").GetString()).Should().OnlyContain(n => n!.StartsWith("001o/", StringComparison.Ordinal));
    }

    [Test]
    public async Task Both_legacy_locations_at_once_are_refused_as_swift_refuses_them()
    {
        var answer = await Send("PUT", "/both", headers: [("X-History-Location", "a"), ("X-Versions-Location", "b")]);

        answer.Status.Should().Be(HttpStatusCode.BadRequest);
        answer.Body.Should().Be("Only one of x-versions-location or x-history-location may be specified");
    }

    [Test]
    public async Task Object_versioning_keeps_every_version_readable_by_its_id_and_lists_them_with_the_swift_cli()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        await Swift("post", "-H", "X-Versions-Enabled: true", "ov");
        (await Send("HEAD", "/ov")).Headers.Should().Contain(h => h.Key == "X-Versions-Enabled" && h.Value.Single() == "True");
        var first = (await Send("PUT", "/ov/o", "one")).Headers.Single(h => h.Key == "X-Object-Version-Id").Value.Single();
        await Send("PUT", "/ov/o", "two");
        (await Swift("list")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().Contain("ov").And.NotContain(n => n.Contains('\uFFFF'), "the hidden versions container is reserved, as Swift hides it");

        var versions = (await Swift("list", "--versions", "ov")).Stdout;
        versions.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2).And.Contain(l => l.Contains(first, StringComparison.Ordinal));
        await Swift("download", "ov", "o", "--version-id", first, "-o", "first.txt");
        (await File.ReadAllTextAsync(Path.Combine(_cluster.Work, "first.txt"))).Should().Be("one");
        (await Send("GET", "/ov/o?version-id=garbage")).Body.Should().Be("Invalid version parameter");

        await Swift("delete", "ov", "o");

        (await Send("GET", "/ov/o")).Status.Should().Be(HttpStatusCode.NotFound);
        var listing = JsonDocument.Parse((await Send("GET", "/ov?versions&format=json")).Body).RootElement.EnumerateArray().ToList();
        listing.Should().HaveCount(3);
        listing[0].GetProperty("content_type").GetString().Should().Be("application/x-deleted;swift_versions_deleted=1");
        listing[0].GetProperty("is_latest").GetBoolean().Should().BeTrue();
        (await Send("DELETE", $"/ov/o?version-id={first}")).Status.Should().Be(HttpStatusCode.NoContent);
        (await Send("GET", $"/ov/o?version-id={first}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await Send("DELETE", "/ov")).Status.Should().Be(HttpStatusCode.Conflict, "versions remain");
    }

    private async Task Upload(string container, string name, string content)
    {
        await File.WriteAllTextAsync(Path.Combine(_cluster.Work, name), content);
        await Swift("upload", container, name);
    }

    private async Task<(HttpStatusCode Status, string Body, List<KeyValuePair<string, IEnumerable<string>>> Headers)> Send(
        string method, string path, string? body = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), _cluster.ProxyUrl + "/v1/AUTH_system" + path);
        request.Headers.Add("X-Auth-Token", _token);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (body is not null || method == "PUT")
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body ?? ""));
        }
        using var answer = await _http.SendAsync(request);
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync(), answer.Headers.Concat(answer.Content.Headers).ToList());
    }

    private async Task<ToolRun> Swift(params string[] args)
    {
        var run = await ExternalTool.RunAsync("/usr/bin/swift", ["-V", "1", "-A", _cluster.AuthUrl, "-U", "system:root", "-K", "testpass", .. args], _cluster.Work, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)}: {run}\n{_cluster.Output}");
        return run;
    }
}
