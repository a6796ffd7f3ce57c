using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;

namespace Cloud.Tests.Support;

/// <summary>An answer of any of the cloud's APIs: status and body (XML for EC2, JSON or text for the rest).</summary>
public sealed record ApiAnswer(int Status, string Body)
{
    public override string ToString() => $"{Status} {(Body.Length > 600 ? Body[..600] + "..." : Body)}";
}

/// <summary>
/// One all-in-one cloudd (api, scheduler, compute on the fake test-double driver, glance, swift proxy and storage, on
/// SQLite) where project A (alice, member of <c>other</c>) owns one of every resource a project can own, for the
/// isolation matrix to point project B (carol, member of <c>third</c>) and an admin of a third project (berendt,
/// <c>testing</c>) at. <see cref="Ids"/> names A's resources for request templates: <c>{server}</c>, <c>{volume}</c> ...
/// </summary>
public sealed partial class TwoProjectsCloud : IAsyncDisposable
{
    public const string ProjectA = "alice";
    public const string MemberOfB = "carol";
    public const string AdminOfC = "berendt";

    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Token, string Project, string User)> _logins = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new();
    private readonly Ec2Http _ec2;
    private readonly string _swiftUrl;

    private TwoProjectsCloud(ComputeApiCloud clients, string swiftUrl)
    {
        Clients = clients;
        _swiftUrl = swiftUrl;
        _ec2 = new Ec2Http(clients.Cloud.Ec2Url);
    }

    public ComputeApiCloud Clients { get; }

    /// <summary>A's resources and the accounts' ids by template name (<c>server</c>, <c>project_a</c>, <c>ec2_instance</c> ...).</summary>
    public IReadOnlyDictionary<string, string> Ids => _ids;

    public static async Task<TwoProjectsCloud> StartAsync()
    {
        var proxyPort = FreePort.Next();
        var api = await ApiCloud.StartAsync(null, "api,scheduler,compute,glance,swift-proxy,swift-storage",
        [
            "--compute_driver=fake", "--report_interval=1", "--periodic_interval=1", "--host=isolationhost",
            $"--swift_proxy_bind=127.0.0.1:{proxyPort}", $"--swift_url=http://127.0.0.1:{proxyPort}/v1/AUTH_",
            $"--swift_object_port={FreePort.Next()}", $"--swift_container_port={FreePort.Next()}", $"--swift_account_port={FreePort.Next()}",
        ]);
        var cloud = new TwoProjectsCloud(await ComputeApiCloud.AroundAsync(api), $"http://127.0.0.1:{proxyPort}");
        try
        {
            await api.ManageAsync("floating", "create", "172.24.4.8/29");
            using var http = new HttpClient();
            await Poller.UntilAsync(() => SwiftCluster.AnswersAsync(http, $"{cloud._swiftUrl}/healthcheck"), TimeSpan.FromSeconds(60), "the swift proxy");
            await cloud.Clients.ComputeHostsUpAsync();
            await cloud.CreateProjectAResourcesAsync();
            return cloud;
        }
        catch
        {
            await cloud.DisposeAsync();
            throw;
        }
    }

    /// <summary><paramref name="template"/> with every <c>{name}</c> of <see cref="Ids"/> replaced.</summary>
    public string Fill(string template) => PlaceholderPattern().Replace(template, m =>
        _ids.TryGetValue(m.Groups[1].Value, out var value) ? value : throw new KeyNotFoundException($"no id {m.Value} in {template}"));

    /// <summary>
    /// A request as <paramref name="user"/> in their project (nova at microversion 2.1, 2.26 for tags; cinder at 3.27, for attachments) to <paramref name="api"/> (nova, cinder, glance, keystone,
    /// swift: <paramref name="path"/> below the service's root, cinder's below <c>/v3/{own project}</c> unless it starts with <c>//</c>; ec2:
    /// <paramref name="path"/> is the form, <c>Action=...</c>).
    /// </summary>
    public async Task<ApiAnswer> SendAsync(string user, string api, string method, string path, string? body = null)
    {
        if (api == "ec2")
        {
            var (status, xml) = await _ec2.CallAsync(await Clients.Cloud.Ec2KeysAsync(user), path);
            return new ApiAnswer(status, xml);
        }
        var (token, project, _) = await LoginAsync(user);
        var url = api switch
        {
            "nova" => Clients.Cloud.ComputeUrl + path,
            "cinder" => path.StartsWith("//", StringComparison.Ordinal) ? Clients.Cloud.VolumeUrl + path[1..] : $"{Clients.Cloud.VolumeUrl}/v3/{project}{path}",
            "glance" => Clients.Cloud.GlanceUrl + path,
            "keystone" => Clients.Cloud.KeystoneUrl + path,
            "swift" => _swiftUrl + path,
            _ => throw new ArgumentException($"no API {api}", nameof(api)),
        };
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.Add("X-Auth-Token", token);
        if (api == "cinder")
        {
            request.Headers.Add("OpenStack-API-Version", "volume 3.27");
        }
        if (api == "nova" && path.Contains("/tags", StringComparison.Ordinal))
        {
            request.Headers.Add("X-OpenStack-Nova-API-Version", "2.26");
        }
        if (body is not null)
        {
            var type = (api, method) switch
            {
                ("glance", "PATCH") => "application/openstack-images-v2.1-json-patch",
                ("glance", "PUT") when path.EndsWith("/file", StringComparison.Ordinal) => "application/octet-stream",
                ("swift", _) => "text/plain",
                _ => "application/json",
            };
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        }
        using var response = await _http.SendAsync(request);
        return new ApiAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>An EC2 call signed with the given keys (not a user's own), as <see cref="SendAsync"/> answers it.</summary>
    public async Task<ApiAnswer> Ec2WithKeysAsync((string AccessKey, string SecretKey) keys, string form)
    {
        var (status, xml) = await _ec2.CallAsync(keys, Fill(form));
        return new ApiAnswer(status, xml);
    }

    /// <summary>As <see cref="SendAsync"/>, expecting a 2xx; returns the body.</summary>
    public async Task<string> OkAsync(string user, string api, string method, string path, string? body = null)
    {
        var answer = await SendAsync(user, api, method, Fill(path), body is null ? null : Fill(body));
        answer.Status.Should().BeInRange(200, 299, $"{user}: {api} {method} {path} must work while setting up: {answer}");
        return answer.Body;
    }

    /// <summary>The user's token, project id and user id (cached).</summary>
    public async Task<(string Token, string Project, string User)> LoginAsync(string user)
    {
        if (_logins.TryGetValue(user, out var known))
        {
            return known;
        }
        var token = await Clients.TokenAsync(user);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Clients.Cloud.KeystoneUrl}/v3/auth/tokens");
        request.Headers.Add("X-Auth-Token", token);
        request.Headers.Add("X-Subject-Token", token);
        using var response = await _http.SendAsync(request);
        var shown = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token");
        return _logins[user] = (token, shown.GetProperty("project").GetProperty("id").GetString()!, shown.GetProperty("user").GetProperty("id").GetString()!);
    }

    private static string Id(string json, params string[] path) =>
        path.Aggregate(JsonDocument.Parse(json).RootElement, (e, p) => e.ValueKind == JsonValueKind.Array ? e[int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)] : e.GetProperty(p)).ToString();

    private async Task CreateProjectAResourcesAsync()
    {
        const string A = ProjectA;
        var alice = await LoginAsync(A);
        var carol = await LoginAsync(MemberOfB);
        var berendt = await LoginAsync(AdminOfC);
        (_ids["project_a"], _ids["user_a"]) = (alice.Project, alice.User);
        (_ids["project_b"], _ids["user_b"]) = (carol.Project, carol.User);
        _ids["project_c"] = berendt.Project;

        // A private image of A's, shared with the admin's project (so it has a member) but not with B.
        _ids["image"] = Id(await OkAsync(A, "glance", "POST", "/v2/images",
            """{"name":"a-image","container_format":"bare","disk_format":"raw","visibility":"shared"}"""), "id");
        await Clients.Glance.UploadAsync(alice.Token, _ids["image"], Encoding.ASCII.GetBytes("A's disk image"));
        await OkAsync(A, "glance", "POST", "/v2/images/{image}/members", """{"member":"{project_c}"}""");

        await OkAsync(A, "nova", "POST", "/v2.1/os-keypairs", """{"keypair":{"name":"a-key"}}""");
        _ids["security_group"] = Id(await OkAsync(A, "nova", "POST", "/v2.1/os-security-groups",
            """{"security_group":{"name":"a-group","description":"A's"}}"""), "security_group", "id");
        _ids["security_group_rule"] = Id(await OkAsync(A, "nova", "POST", "/v2.1/os-security-group-rules",
            """{"security_group_rule":{"parent_group_id":"{security_group}","ip_protocol":"tcp","from_port":22,"to_port":22,"cidr":"10.0.0.0/8"}}"""),
            "security_group_rule", "id");
        _ids["server_group"] = Id(await OkAsync(A, "nova", "POST", "/v2.1/os-server-groups",
            """{"server_group":{"name":"a-server-group","policies":["anti-affinity"]}}"""), "server_group", "id");
        _ids["floating_ip_id"] = Id(await OkAsync(A, "nova", "POST", "/v2.1/os-floating-ips", "{}"), "floating_ip", "id");
        _ids["floating_ip"] = Id(await OkAsync(A, "nova", "GET", "/v2.1/os-floating-ips/{floating_ip_id}"), "floating_ip", "ip");

        _ids["server"] = Id(await OkAsync(A, "nova", "POST", "/v2.1/servers",
            """{"server":{"name":"a-server","imageRef":"{image}","flavorRef":"1","key_name":"a-key","metadata":{"owner":"a"}}}"""),
            "server", "id");
        await Poller.UntilAsync(async () => (await OkAsync(A, "nova", "GET", "/v2.1/servers/{server}")).Contains("\"ACTIVE\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "A's server to be ACTIVE");
        await OkAsync(A, "nova", "PUT", "/v2.1/servers/{server}/tags/a-tag");
        _ids["request_id"] = Id(await OkAsync(A, "nova", "GET", "/v2.1/servers/{server}/os-instance-actions"), "instanceActions", "0", "request_id");

        _ids["volume"] = Id(await OkAsync(A, "cinder", "POST", "/volumes", """{"volume":{"size":1,"name":"a-volume","metadata":{"owner":"a"}}}"""), "volume", "id");
        await AvailableAsync("/volumes/{volume}", "volume");
        _ids["snapshot"] = Id(await OkAsync(A, "cinder", "POST", "/snapshots", """{"snapshot":{"volume_id":"{volume}","name":"a-snapshot"}}"""), "snapshot", "id");
        _ids["attachment"] = Id(await OkAsync(A, "cinder", "POST", "/attachments",
            """{"attachment":{"volume_uuid":"{volume}","instance_uuid":"{server}"}}"""), "attachment", "id");

        _ids["ec2_access"] = Id(await OkAsync(A, "keystone", "POST", "/v3/users/{user_a}/credentials/OS-EC2", """{"tenant_id":"{project_a}"}"""), "credential", "access");
        _ids["credential"] = Id(await OkAsync(A, "keystone", "GET", "/v3/credentials?type=ec2"), "credentials", "0", "id");
        _ids["app_credential"] = Id(await OkAsync(A, "keystone", "POST", "/v3/users/{user_a}/application_credentials",
            """{"application_credential":{"name":"a-app-credential"}}"""), "application_credential", "id");

        await OkAsync(A, "swift", "PUT", "/v1/AUTH_{project_a}/a-container");
        await OkAsync(A, "swift", "PUT", "/v1/AUTH_{project_a}/a-container/a-object", "A's object");

        await Ec2IdsAsync();
    }

    /// <summary>A volume without a volume host stays where scheduling left it; the admin makes it available, as an operator would.</summary>
    private async Task AvailableAsync(string path, string kind)
    {
        await Poller.UntilAsync(async () => !(await OkAsync(ProjectA, "cinder", "GET", path)).Contains("\"creating\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), $"A's {kind} to leave creating");
        await OkAsync(AdminOfC, "cinder", "POST", path + "/action", """{"os-reset_status":{"status":"available"}}""");
    }

    /// <summary>A's resources by their EC2 ids, as A's own EC2 calls show them.</summary>
    private async Task Ec2IdsAsync()
    {
        async Task<string> OneAsync(string form, string element, string prefix)
        {
            var answer = await SendAsync(ProjectA, "ec2", "POST", form);
            answer.Status.Should().Be(200, $"{form}: {answer}");
            return Regex.Match(answer.Body, $"<{element}>({prefix}[^<]*)</{element}>").Groups[1].Value is { Length: > 0 } id
                ? id : throw new InvalidOperationException($"no {element} in {form}: {answer}");
        }
        _ids["ec2_instance"] = await OneAsync("Action=DescribeInstances", "instanceId", "i-");
        _ids["ec2_volume"] = await OneAsync("Action=DescribeVolumes", "volumeId", "vol-");
        _ids["ec2_snapshot"] = await OneAsync("Action=DescribeSnapshots", "snapshotId", "snap-");
        _ids["ec2_security_group"] = await OneAsync("Action=DescribeSecurityGroups&GroupName.1=a-group", "groupId", "sg-");
        _ids["ec2_image"] = await OneAsync("Action=DescribeImages&Owner.1=self", "imageId", "ami-");
    }

    [GeneratedRegex(@"\{([a-z_0-9]+)\}")]
    private static partial Regex PlaceholderPattern();

    public async ValueTask DisposeAsync()
    {
        _ec2.Dispose();
        _http.Dispose();
        await Clients.DisposeAsync();
    }
}
