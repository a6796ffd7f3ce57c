using System.Net;
using System.Text;
using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Static and dynamic large objects as the swift CLI makes them (<c>swift upload --use-slo -S</c>, <c>swift upload -S</c>)
/// and as Swift 2.30 serves them: ranged downloads, conditions against the large object's ETag, the manifest as stored
/// and as re-uploadable raw JSON, server-side copies of the joined content or of the manifest, a POST setting
/// X-Object-Manifest, and <c>multipart-manifest=delete</c> through nested manifests.
/// </summary>
[Category("Integration")]
public sealed class SwiftLargeObjectTests
{
    private SwiftCluster _cluster = null!;
    private readonly HttpClient _http = new();
    private string _token = "";

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
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
    public async Task A_static_large_object_serves_ranges_conditions_its_manifest_and_copies_as_swift()
    {
        var content = Enumerable.Range(0, 250_000).Select(i => (byte)('a' + (i * 13 % 26))).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(_cluster.Work, "slo.bin"), content);
        await Swift("upload", "--use-slo", "-S", "100000", "slo", "slo.bin");

        var ranged = await Swift("download", "slo", "slo.bin", "-o", "-", "--header", "Range: bytes=99990-100009");
        ranged.Stdout.Should().Be(Encoding.ASCII.GetString(content, 99990, 20), "a range across two segments");

        using var head = await Send(HttpMethod.Head, "/slo/slo.bin");
        var etag = head.Headers.ETag!.Tag;
        head.Headers.GetValues("X-Manifest-Etag").Single().Should().MatchRegex("^[0-9a-f]{32}$");
        using (var notModified = await Send(HttpMethod.Get, "/slo/slo.bin", ("If-None-Match", etag)))
        {
            notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        }
        using (var failed = await Send(HttpMethod.Get, "/slo/slo.bin", ("If-Match", "\"nope\"")))
        {
            failed.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
            (await failed.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        }
        using (var multi = await Send(HttpMethod.Get, "/slo/slo.bin", ("Range", "bytes=0-1,249998-249999")))
        {
            multi.StatusCode.Should().Be(HttpStatusCode.PartialContent);
            multi.Content.Headers.ContentType!.MediaType.Should().Be("multipart/byteranges");
            (await multi.Content.ReadAsStringAsync()).Should().Contain("Content-Range: bytes 249998-249999/250000");
        }

        using var stored = await Send(HttpMethod.Get, "/slo/slo.bin?multipart-manifest=get");
        stored.Content.Headers.ContentType!.ToString().Should().Be("application/json; charset=utf-8");
        using var raw = await Send(HttpMethod.Get, "/slo/slo.bin?multipart-manifest=get&format=raw");
        var rawManifest = await raw.Content.ReadAsStringAsync();
        JsonDocument.Parse(rawManifest).RootElement.EnumerateArray().Select(r => r.GetProperty("size_bytes").GetInt64()).Should().Equal(100_000, 100_000, 50_000);
        using (var again = await Send(HttpMethod.Put, "/slo/again?multipart-manifest=put", body: rawManifest))
        {
            again.StatusCode.Should().Be(HttpStatusCode.Created, "the raw manifest uploads as it is");
            again.Headers.ETag!.Tag.Should().Be(etag);
        }

        await Swift("copy", "-d", "/slo/plain-copy", "slo", "slo.bin");
        using (var copy = await Send(HttpMethod.Get, "/slo/plain-copy"))
        {
            copy.Headers.Contains("X-Static-Large-Object").Should().BeFalse("a copy of the joined content is a plain object");
            (await copy.Content.ReadAsByteArrayAsync()).Should().Equal(content);
        }

        using (var nested = await Send(HttpMethod.Put, "/slo/nested?multipart-manifest=put", body: "[{\"path\": \"/slo/slo.bin\"}, {\"path\": \"/slo/plain-copy\"}]"))
        {
            nested.StatusCode.Should().Be(HttpStatusCode.Created);
        }
        using var deleted = await Send(HttpMethod.Delete, "/slo/nested?multipart-manifest=delete", ("Accept", "application/json"));
        var report = JsonDocument.Parse(await deleted.Content.ReadAsStringAsync()).RootElement;
        report.GetProperty("Number Deleted").GetInt32().Should().Be(6, "the three segments, the nested manifest, the copy and the manifest");
        (await Swift("list", "slo_segments")).Stdout.Trim().Should().BeEmpty();
    }

    [Test]
    public async Task A_dynamic_large_object_serves_ranges_conditions_copies_and_follows_a_post_as_swift()
    {
        var content = Enumerable.Range(0, 230_000).Select(i => (byte)('a' + (i * 7 % 26))).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(_cluster.Work, "dlo.bin"), content);
        await Swift("upload", "-S", "100000", "dlo", "dlo.bin");

        (await Swift("download", "dlo", "dlo.bin", "-o", "-", "--header", "Range: bytes=-5")).Stdout.Should().Be(Encoding.ASCII.GetString(content, 229_995, 5));
        using var head = await Send(HttpMethod.Head, "/dlo/dlo.bin");
        using (var notModified = await Send(HttpMethod.Get, "/dlo/dlo.bin", ("If-None-Match", head.Headers.ETag!.Tag)))
        {
            notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        }

        await Swift("copy", "-d", "/dlo/joined", "dlo", "dlo.bin");
        (await Swift("stat", "dlo", "joined")).Stdout.Should().Contain("Content Length: 230000").And.NotContain("Manifest:");
        using (var copyManifest = await Send(new HttpMethod("COPY"), "/dlo/dlo.bin?multipart-manifest=get", ("Destination", "dlo/pointer")))
        {
            copyManifest.StatusCode.Should().Be(HttpStatusCode.Created);
        }
        (await Swift("stat", "dlo", "pointer")).Stdout.Should().Contain("Content Length: 230000").And.Contain("Manifest: dlo_segments/");

        await File.WriteAllTextAsync(Path.Combine(_cluster.Work, "small.txt"), "small");
        await Swift("upload", "dlo", "small.txt");
        var prefix = (await Swift("list", "dlo_segments")).Stdout.Split('\n')[0];
        await Swift("post", "-H", $"X-Object-Manifest: dlo_segments/{prefix}", "dlo", "small.txt");
        (await Swift("stat", "dlo", "small.txt")).Stdout.Should().Contain("Content Length: 100000", "a POST makes a plain object a DLO");
        await Swift("post", "-m", "a:b", "dlo", "small.txt");
        (await Swift("download", "dlo", "small.txt", "-o", "-")).Stdout.Should().Be("small", "a POST without X-Object-Manifest makes it plain again");
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, params (string Name, string Value)[] headers) => await Send(method, path, null, headers);

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, $"{_cluster.ProxyUrl}/v1/AUTH_system{path}");
        request.Headers.Add("X-Auth-Token", _token);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body);
        }
        return await _http.SendAsync(request);
    }

    private async Task<ToolRun> Swift(params string[] args)
    {
        var run = await ExternalTool.RunAsync("/usr/bin/swift", ["-V", "1", "-A", _cluster.AuthUrl, "-U", "system:root", "-K", "testpass", .. args], _cluster.Work, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)}: {run}\n{_cluster.Output}");
        return run;
    }
}
