using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The proxy's core HTTP behaviour as Swift 2.30 has it (issue 17): UTF-8 metadata and names round-tripping through
/// the real swift CLI, and Swift's refusals, ids and headers as curl sees them.
/// </summary>
[Category("Integration")]
public sealed class SwiftProxyCoreTests
{
    private static readonly Dictionary<string, string> Utf8Locale = new() { ["LC_ALL"] = "C.UTF-8" };
    private SwiftCluster _cluster = null!;
    private string _token = "";

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        ExternalTool.Require("curl", "curl");
        _cluster = await SwiftCluster.StartAsync();
        var auth = await Curl("-H", "X-Auth-User: system:root", "-H", "X-Auth-Key: testpass", _cluster.AuthUrl);
        _token = Header(auth, "X-Auth-Token")!;
    }

    [OneTimeTearDown]
    public async Task StopCluster() => await _cluster.DisposeAsync();

    [Test]
    public async Task Utf8_metadata_names_and_a_dlo_in_a_utf8_container_round_trip_through_the_swift_cli()
    {
        // A UTF-8 value (a UTF-8 metadata *name* Swift 2.30 refuses too, with 400 "Metadata must be valid UTF-8").
        await Swift("post", "-m", "Farbe:grün", "kästen");
        (await Swift("stat", "kästen")).Should().Contain("Meta Farbe: grün");
        await Swift("post", "-m", "Ville:Genève");
        (await Swift("stat")).Should().Contain("Meta Ville: Genève");

        await File.WriteAllTextAsync(Path.Combine(_cluster.Work, "grüße.txt"), "hallo");
        await Swift("upload", "-H", "X-Object-Meta-Drink: café ☕", "kästen", "grüße.txt");
        (await Swift("stat", "kästen", "grüße.txt")).Should().Contain("Meta Drink: café ☕").And.Contain("Content Type: text/plain");

        var content = Enumerable.Range(0, 250_000).Select(i => (byte)(i * 11 % 251)).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(_cluster.Work, "groß.bin"), content);
        await Swift("upload", "-S", "100000", "bücher", "groß.bin");
        (await Swift("stat", "bücher", "groß.bin")).Should().Contain("Manifest: bücher_segments/").And.Contain("Content Length: 250000");
        await Swift("download", "bücher", "groß.bin", "-o", "groß.back");
        (await File.ReadAllBytesAsync(Path.Combine(_cluster.Work, "groß.back"))).Should().Equal(content);
    }

    [Test]
    public async Task Swift_refuses_bad_paths_metadata_and_conditions_with_its_own_status_and_message()
    {
        await Curl("-X", "PUT", "-H", $"X-Auth-Token: {_token}", $"{_cluster.ProxyUrl}/v1/AUTH_system/refusals");
        (await Refusal("-X", "PUT", "--data-binary", "x", $"/v1/AUTH_system/refusals/bad-%FF")).Should().Be((412, "Invalid UTF8 or contains NULL"));
        (await Refusal("/v1")).Should().Be((412, "Bad URL"));
        var tooMany = Enumerable.Range(0, 91).SelectMany(i => new[] { "-H", $"X-Container-Meta-M{i}: v" }).ToArray();
        (await Refusal(["-X", "POST", .. tooMany, "/v1/AUTH_system/refusals"])).Should().Be((400, "Too many metadata items; max 90"));
        (await Refusal("-X", "POST", "-H", $"X-Account-Meta-V: {new string('v', 257)}", "/v1/AUTH_system")).Should().Be((400, "Metadata value longer than 256: x-account-meta-V"));
        (await Refusal("-X", "PUT", "-H", "If-None-Match: foo", "--data-binary", "x", "/v1/AUTH_system/refusals/inm")).Should().Be((400, "If-None-Match only supports *"));
        (await Refusal("-X", "PATCH", "/v1/AUTH_system/refusals")).Status.Should().Be(405);
    }

    [Test]
    public async Task Every_answer_carries_swift_s_transaction_id_and_a_401_says_how_to_authenticate()
    {
        foreach (var path in new[] { "/info", "/healthcheck", "/v1/AUTH_system/nope-at-all" })
        {
            var answer = await Curl("-H", $"X-Auth-Token: {_token}", "-H", "X-Trans-Id-Extra: mine", _cluster.ProxyUrl + path);
            Header(answer, "X-Trans-Id").Should().MatchRegex("^tx[0-9a-f]{21}-[0-9a-f]{10}-mine$", path);
            Header(answer, "X-Openstack-Request-Id").Should().Be(Header(answer, "X-Trans-Id"));
        }
        var unauthorised = await Curl($"{_cluster.ProxyUrl}/v1/AUTH_system/x");
        unauthorised.Should().StartWith("HTTP/1.1 401");
        Header(unauthorised, "WWW-Authenticate").Should().Be("Swift realm=\"AUTH_system\"");
    }

    [Test]
    public async Task Objects_get_python_s_guessed_type_a_post_changes_it_and_sysmeta_stays_the_cluster_s()
    {
        var url = $"{_cluster.ProxyUrl}/v1/AUTH_system/types";
        await Curl("-X", "PUT", "-H", $"X-Auth-Token: {_token}", url);
        await Curl("-X", "PUT", "-H", $"X-Auth-Token: {_token}", "-H", "Content-Type:", "-H", "X-Object-Sysmeta-Secret: client", "--data-binary", "x", url + "/a.tar.gz");
        var head = await Curl("-I", "-H", $"X-Auth-Token: {_token}", url + "/a.tar.gz");
        Header(head, "Content-Type").Should().Be("application/x-tar");
        Header(head, "X-Object-Sysmeta-Secret").Should().BeNull();
        await Curl("-X", "POST", "-H", $"X-Auth-Token: {_token}", "-H", "Content-Type: application/x-mine", url + "/a.tar.gz");
        Header(await Curl("-I", "-H", $"X-Auth-Token: {_token}", url + "/a.tar.gz"), "Content-Type").Should().Be("application/x-mine");
        var container = await Curl("-I", "-H", $"X-Auth-Token: {_token}", url);
        Header(container, "Last-Modified").Should().NotBeNull();
        Header(container, "Accept-Ranges").Should().Be("bytes");
    }

    private async Task<string> Swift(params string[] args)
    {
        var run = await ExternalTool.RunAsync("/usr/bin/swift", ["-V", "1", "-A", _cluster.AuthUrl, "-U", "system:root", "-K", "testpass", .. args],
            _cluster.Work, environment: Utf8Locale, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)}: {run}\n{_cluster.Output}");
        return run.Stdout;
    }

    /// <summary>curl -i (headers and body) with the given arguments.</summary>
    private async Task<string> Curl(params string[] args)
    {
        var run = await ExternalTool.RunAsync("curl", ["-s", "-i", .. args], _cluster.Work, environment: Utf8Locale, timeout: TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, run.ToString());
        return run.Stdout;
    }

    /// <summary>The status and text/plain or text/html body the proxy answers a request as the reseller admin; never a 5xx.</summary>
    private async Task<(int Status, string Body)> Refusal(params string[] args)
    {
        var answer = await Curl(["-H", $"X-Auth-Token: {_token}", .. args[..^1], _cluster.ProxyUrl + args[^1]]);
        var status = int.Parse(answer.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        status.Should().BeLessThan(500, answer);
        var bodyAt = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, bodyAt < 0 ? "" : answer[(bodyAt + 4)..]);
    }

    private static string? Header(string answer, string name) =>
        answer.Split("\r\n\r\n", 2)[0].Split("\r\n").Select(line => line.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).FirstOrDefault();
}
