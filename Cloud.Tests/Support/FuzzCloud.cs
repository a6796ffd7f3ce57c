using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Cloud.Modules.Kernel.Db;
using Dapper;
using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>
/// Every API the fuzzer attacks in one cloudd process on the embedded defaults (SQLite, in-process bus): api, scheduler,
/// compute (fake test-double driver), glance, swift-proxy and swift-storage (all-in-one rings). Real resources for the
/// seeds to point at, all the admin berendt's (project testing): the ACTIVE server <c>fuzz-witness</c> holding the fixed
/// IP <see cref="GuestAddress"/> (the metadata service's guest), key pair <c>fuzzkey</c>, a volume, the public image
/// <c>ttylinux</c> and a queued image, Keystone user <c>fuzzuser</c> of project <c>fuzzproj</c>, and the tempauth account
/// AUTH_fuzz's container <c>box</c> with object <c>obj</c> (the seeds') and container <c>keep</c> with object <c>witness</c>
/// (no seed names it: read back after the run).
/// </summary>
public sealed partial class FuzzCloud : IAsyncDisposable
{
    /// <summary>The witness server's fixed IP: the fuzzer's requests to the metadata service come from it.</summary>
    public const string GuestAddress = "127.0.0.2";

    /// <summary>The tempauth user the Swift cases run as (admin of AUTH_fuzz).</summary>
    public const string SwiftUser = "fuzz:tester";

    public const string SwiftKey = "fuzzpass";

    private readonly HttpClient _http = new();

    private FuzzCloud(ComputeApiCloud compute, string swiftUrl)
    {
        Compute = compute;
        SwiftUrl = swiftUrl;
    }

    public ComputeApiCloud Compute { get; }

    public ApiCloud Cloud => Compute.Cloud;

    /// <summary>The Swift proxy's base URL (no path).</summary>
    public string SwiftUrl { get; }

    public string AdminToken { get; private set; } = "";

    public string SwiftToken { get; private set; } = "";

    public string ServerId { get; private set; } = "";

    public string Ec2InstanceId { get; private set; } = "";

    public string VolumeId { get; private set; } = "";

    public string ImageId { get; private set; } = "";

    public string QueuedImageId { get; private set; } = "";

    public string UserId { get; private set; } = "";

    public string ProjectId { get; private set; } = "";

    public string AdminProjectId { get; private set; } = "";

    public (string AccessKey, string SecretKey) Ec2Keys { get; private set; }

    public static async Task<FuzzCloud> StartAsync()
    {
        var proxyPort = FreePort.Next();
        var api = await ApiCloud.StartAsync(null, "api,scheduler,compute,glance,swift-proxy,swift-storage",
        [
            "--compute_driver=fake", "--report_interval=1", "--periodic_interval=1", "--host=fuzzhost",
            $"--swift_proxy_bind=127.0.0.1:{proxyPort}", $"--swift_url=http://127.0.0.1:{proxyPort}/v1/AUTH_",
            $"--swift_object_port={FreePort.Next()}", $"--swift_container_port={FreePort.Next()}", $"--swift_account_port={FreePort.Next()}",
            $"--swift_tempauth_users={SwiftUser}:{SwiftKey}:.admin",
        ]);
        var cloud = new FuzzCloud(await ComputeApiCloud.AroundAsync(api), $"http://127.0.0.1:{proxyPort}");
        try
        {
            await cloud.CreateResourcesAsync();
            return cloud;
        }
        catch
        {
            await cloud.DisposeAsync();
            throw;
        }
    }

    private async Task CreateResourcesAsync()
    {
        await Poller.UntilAsync(() => SwiftCluster.AnswersAsync(_http, $"{SwiftUrl}/healthcheck"), TimeSpan.FromSeconds(60), "the swift proxy");
        await Cloud.ManageAsync("user", "create", "fuzzuser", "--password=fuzzuser-secret");
        await Cloud.ManageAsync("project", "create", "fuzzproj", "fuzzuser");
        AdminToken = await Compute.TokenAsync("berendt");
        ImageId = await Compute.Glance.CreateAsync(AdminToken, new { name = "ttylinux", container_format = "bare", disk_format = "raw", visibility = "public" });
        await Compute.Glance.UploadAsync(AdminToken, ImageId, Encoding.ASCII.GetBytes("not really a disk image"));
        QueuedImageId = await Compute.Glance.CreateAsync(AdminToken, new { name = "fuzz-queued", container_format = "bare", disk_format = "qcow2" });
        UserId = IdIn((await OkAsync(HttpMethod.Get, $"{Cloud.KeystoneUrl}/v3/users?name=fuzzuser")).Body);
        ProjectId = IdIn((await OkAsync(HttpMethod.Get, $"{Cloud.KeystoneUrl}/v3/projects?name=fuzzproj")).Body);
        AdminProjectId = IdIn((await OkAsync(HttpMethod.Get, $"{Cloud.KeystoneUrl}/v3/projects?name=testing")).Body);
        await Compute.ComputeHostsUpAsync();
        (await Compute.NovaAsync(AdminToken, HttpMethod.Post, "/v2.1/os-keypairs", new { keypair = new { name = "fuzzkey" } })).Status.Should().Be(200);
        var (status, body) = await Compute.NovaAsync(AdminToken, HttpMethod.Post, "/v2.1/servers",
            new { server = new { name = "fuzz-witness", imageRef = ImageId, flavorRef = "1", key_name = "fuzzkey", metadata = new { role = "witness" } } });
        status.Should().Be(202, body);
        ServerId = IdIn(body);
        await Poller.UntilAsync(async () => (await Compute.NovaAsync(AdminToken, HttpMethod.Get, $"/v2.1/servers/{ServerId}")).Body.Contains("\"ACTIVE\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the witness server to be ACTIVE");
        (status, body) = await Compute.NovaAsync(AdminToken, HttpMethod.Post, "/v2.1/os-volumes", new { volume = new { size = 1, display_name = "fuzz-volume" } });
        status.Should().Be(200, body);
        VolumeId = IdIn(body);
        await GiveGuestAddressAsync();
        Ec2Keys = await Cloud.Ec2KeysAsync("berendt");
        await CreateSwiftObjectsAsync();
    }

    /// <summary>The witness's fixed IP in the network role's tables, as its allocation would write it (no network role runs here).</summary>
    private async Task GiveGuestAddressAsync()
    {
        var db = DbConnectionFactory.FromUrl(Cloud.SqlConnection);
        await using var c = await db.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("""
            INSERT INTO networks (id, label, cidr, netmask, gateway, broadcast, dns1, bridge, dhcp_start, created_at)
            VALUES ('net-fuzz', 'private', '127.0.0.0/8', '255.0.0.0', '127.0.0.1', '127.255.255.255', '127.0.0.53', 'br100', '127.0.0.2', @Now)
            """, new { Now = DateTime.UtcNow });
        await c.ExecuteAsync("INSERT INTO fixed_ips (address, network_id, instance_uuid, mac_address, allocated, leased) VALUES (@Address, 'net-fuzz', @Uuid, '52:54:00:00:00:01', 1, 1)",
            new { Address = GuestAddress, Uuid = ServerId });
        Ec2InstanceId = Modules.Compute.Ec2Ids.Instance(await c.QuerySingleAsync<long>("SELECT id FROM instances WHERE uuid = @Uuid", new { Uuid = ServerId }));
    }

    private async Task CreateSwiftObjectsAsync()
    {
        using var auth = new HttpRequestMessage(HttpMethod.Get, $"{SwiftUrl}/auth/v1.0");
        auth.Headers.Add("X-Auth-User", SwiftUser);
        auth.Headers.Add("X-Auth-Key", SwiftKey);
        using (var response = await _http.SendAsync(auth))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            SwiftToken = response.Headers.GetValues("X-Auth-Token").Single();
        }
        foreach (var (path, content) in new[] { ("/v1/AUTH_fuzz/box", null), ("/v1/AUTH_fuzz/box/obj", "fuzz me"), ("/v1/AUTH_fuzz/keep", null), ("/v1/AUTH_fuzz/keep/witness", "witness object") })
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, SwiftUrl + path) { Content = new StringContent(content ?? "") };
            put.Headers.Add("X-Auth-Token", SwiftToken);
            using var response = await _http.SendAsync(put);
            ((int)response.StatusCode).Should().BeOneOf(201, 202);
        }
    }

    /// <summary>
    /// The store is consistent after a fuzz run: every resource created before still reads back, the list endpoints
    /// answer 200, and SQLite's integrity check passes. Returns what is wrong (empty when nothing is).
    /// </summary>
    public async Task<IReadOnlyList<string>> InconsistenciesAsync()
    {
        var problems = new List<string>();
        var nova = $"{Cloud.ComputeUrl}/v2.1";
        var reads = new (string Url, string Token, string Expect)[]
        {
            ($"{nova}/servers/{ServerId}", AdminToken, ServerId),
            ($"{nova}/os-keypairs/fuzzkey", AdminToken, "fuzzkey"),
            ($"{nova}/os-volumes/{VolumeId}", AdminToken, VolumeId),
            ($"{nova}/servers/detail", AdminToken, "\"servers\""),
            ($"{nova}/flavors/detail", AdminToken, "m1.tiny"),
            ($"{Cloud.GlanceUrl}/v2/images/{ImageId}", AdminToken, ImageId),
            ($"{Cloud.GlanceUrl}/v2/images/{QueuedImageId}", AdminToken, QueuedImageId),
            ($"{Cloud.GlanceUrl}/v2/images", AdminToken, "\"images\""),
            ($"{Cloud.GlanceUrl}/v1/images/detail", AdminToken, "\"images\""),
            ($"{Cloud.KeystoneUrl}/v3/users/{UserId}", AdminToken, UserId),
            ($"{Cloud.KeystoneUrl}/v3/projects/{ProjectId}", AdminToken, ProjectId),
            ($"{Cloud.KeystoneUrl}/v3/users", AdminToken, "\"users\""),
            ($"{SwiftUrl}/v1/AUTH_fuzz/keep/witness", SwiftToken, "witness object"),
            ($"{SwiftUrl}/v1/AUTH_fuzz/box", SwiftToken, ""),
            ($"{SwiftUrl}/v1/AUTH_fuzz", SwiftToken, "keep"),
        };
        foreach (var (url, token, expect) in reads)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("X-Auth-Token", token);
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK || !text.Contains(expect, StringComparison.Ordinal))
            {
                problems.Add($"GET {url} answered {(int)response.StatusCode} without '{expect}': {text[..Math.Min(text.Length, 300)]}");
            }
        }
        var db = DbConnectionFactory.FromUrl(Cloud.SqlConnection);
        await using var c = await db.OpenAsync(CancellationToken.None);
        var integrity = string.Join("; ", await c.QueryAsync<string>("PRAGMA integrity_check"));
        if (integrity != "ok")
        {
            problems.Add($"SQLite integrity_check: {integrity}");
        }
        return problems;
    }

    /// <summary>The cloud's logged errors (unexpected exceptions with their traces), for a failure message.</summary>
    public string LoggedErrors(int lines = 60) =>
        string.Join('\n', Cloud.Logs.Split('\n').Where(l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains(" failed", StringComparison.Ordinal)
            || l.TrimStart().StartsWith("at Cloud.", StringComparison.Ordinal)).TakeLast(lines));

    private async Task<(int Status, string Body)> OkAsync(HttpMethod method, string url)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Auth-Token", AdminToken);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"{method} {url}: {body}");
        return ((int)response.StatusCode, body);
    }

    private static string IdIn(string body) => IdPattern().Match(body) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no id in {body}");

    [GeneratedRegex("\"id\":\\s*\"([^\"]+)\"")]
    private static partial Regex IdPattern();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Compute.DisposeAsync();
    }
}
