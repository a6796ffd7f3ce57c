using System.Net;
using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Issue 17, item 3: storage policies. Three storage processes (one device each), policy 0 (Policy-0, three replicas,
/// the default) and policy 1 (silver, two replicas, its own ring object-1.ring.gz): a container made with
/// <c>swift post -H 'X-Storage-Policy: silver'</c> keeps its objects in objects-1 on two devices, as swift lays them out.
/// </summary>
[Category("Integration")]
public sealed class SwiftStoragePolicyTests
{
    private SwiftCluster _cluster = null!;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task StartCluster() => _cluster = await SwiftCluster.StartWithPolicyAsync(3, 2, "0:Policy-0:default,1:silver|fast");

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task A_silver_container_keeps_its_objects_in_objects_1_on_two_devices()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        await File.WriteAllTextAsync(Path.Combine(_cluster.Work, "note.txt"), "silver note");

        await Swift("post", "-H", "X-Storage-Policy: silver", "silverbox");
        await Swift("upload", "silverbox", "note.txt");
        await Swift("upload", "plainbox", "note.txt");

        var silverFiles = _cluster.Nodes.SelectMany(n => n.DataFiles()).Where(f => f.Contains($"{Path.DirectorySeparatorChar}objects-1{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        silverFiles.Should().HaveCount(2, "policy 1 has two replicas");
        _cluster.Nodes.SelectMany(n => n.DataFiles()).Should().HaveCount(5, "the plain copy has three replicas in objects/");
        await Swift("download", "silverbox", "note.txt", "-o", "back.txt");
        (await File.ReadAllTextAsync(Path.Combine(_cluster.Work, "back.txt"))).Should().Be("silver note");
        (await Swift("list", "silverbox")).Stdout.Trim().Should().Be("note.txt");

        using var head = await Send(HttpMethod.Head, "/silverbox");
        head.Headers.GetValues("X-Storage-Policy").Should().Equal("silver");
        head.Headers.Contains("X-Backend-Storage-Policy-Index").Should().BeFalse("backend headers stay behind the proxy");
        using var plain = await Send(HttpMethod.Head, "/plainbox");
        plain.Headers.GetValues("X-Storage-Policy").Should().Equal("Policy-0");
    }

    [Test]
    public async Task Large_objects_read_their_segments_through_the_segment_containers_policy()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        var content = string.Concat(Enumerable.Range(0, 30).Select(i => $"segment line {i}\n"));
        await File.WriteAllTextAsync(Path.Combine(_cluster.Work, "large.txt"), content);
        await Swift("post", "-H", "X-Storage-Policy: silver", "silversegs");

        await Swift("upload", "plainlarge", "large.txt", "--use-slo", "-S", "100", "--segment-container", "silversegs");
        (await Swift("download", "plainlarge", "large.txt", "-o", "-")).Stdout.Should().Be(content, "an SLO's segments live in the silver ring");
        await Swift("upload", "plaindlo", "large.txt", "-S", "100", "--segment-container", "silversegs");
        (await Swift("download", "plaindlo", "large.txt", "-o", "-")).Stdout.Should().Be(content, "so do a DLO's");
        (await Swift("stat", "plainlarge", "large.txt")).Stdout.Should().Contain($"Content Length: {content.Length}");
    }

    [Test]
    public async Task Unknown_policies_and_policy_changes_are_refused_as_swift_refuses_them()
    {
        using var unknown = await Send(HttpMethod.Put, "/goldbox", ("X-Storage-Policy", "gold"));
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).Should().Be("Invalid X-Storage-Policy 'gold'");

        using var made = await Send(HttpMethod.Put, "/fastbox", ("X-Storage-Policy", "FAST"));
        made.StatusCode.Should().Be(HttpStatusCode.Created, "an alias names the policy, in any case");
        using var changed = await Send(HttpMethod.Put, "/fastbox", ("X-Storage-Policy", "Policy-0"));
        changed.StatusCode.Should().Be(HttpStatusCode.Conflict);
        using var again = await Send(HttpMethod.Put, "/fastbox");
        again.StatusCode.Should().Be(HttpStatusCode.Accepted, "a PUT naming no policy leaves it as it is");
        using var head = await Send(HttpMethod.Head, "/fastbox");
        head.Headers.GetValues("X-Storage-Policy").Should().Equal("silver");

        using var info = JsonDocument.Parse(await _http.GetStringAsync($"{_cluster.ProxyUrl}/info"));
        var policies = info.RootElement.GetProperty("swift").GetProperty("policies").EnumerateArray().ToList();
        policies.Select(p => p.GetProperty("name").GetString()).Should().Equal("Policy-0", "silver");
        policies[0].GetProperty("default").GetBoolean().Should().BeTrue();
        policies[1].TryGetProperty("default", out _).Should().BeFalse();
        policies[1].GetProperty("aliases").GetString().Should().Be("silver, fast");
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using var auth = new HttpRequestMessage(HttpMethod.Get, _cluster.AuthUrl);
        auth.Headers.Add("X-Auth-User", "system:root");
        auth.Headers.Add("X-Auth-Key", "testpass");
        using var authed = await _http.SendAsync(auth);
        var request = new HttpRequestMessage(method, authed.Headers.GetValues("X-Storage-Url").Single() + path);
        request.Headers.Add("X-Auth-Token", authed.Headers.GetValues("X-Auth-Token").Single());
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
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
