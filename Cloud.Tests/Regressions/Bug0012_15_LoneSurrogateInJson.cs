using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 15: a JSON string holding a lone surrogate escape (<c>"\ud800"</c>) or bytes that are not UTF-8
/// parsed as JSON, then threw a 500 ("Cannot read incomplete UTF-16 JSON text", "Cannot transcode invalid UTF-8")
/// where a handler first read the string. Every JSON endpoint of every API now reads bodies through one helper that
/// answers 400 with a message; each is sent both bodies, and nothing is created or changed by them.
/// </summary>
[Category("Integration")]
public sealed class Bug0012_15_LoneSurrogateInJson
{
    private const string Bad = "@@BAD@@";
    private const string PatchType = "application/openstack-images-v2.1-json-patch";

    private ComputeApiCloud _cloud = null!;
    private readonly HttpClient _http = new();
    private string _token = "";
    private string _server = "";
    private string _image = "";

    /// <summary>Each JSON endpoint: API, method, path, body with the poisoned string at <see cref="Bad"/>, content type.</summary>
    private static readonly (string Api, string Method, string Path, string Body, string Type)[] Endpoints =
    [
        ("keystone", "POST", "/v3/auth/tokens", """{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"@@BAD@@","domain":{"id":"default"},"password":"x"}}}}}""", "application/json"),
        ("keystone", "POST", "/v2.0/tokens", """{"auth":{"passwordCredentials":{"username":"@@BAD@@","password":"x"}}}""", "application/json"),
        ("nova", "POST", "/v2.1/os-keypairs", """{"keypair":{"name":"@@BAD@@"}}""", "application/json"),
        ("nova", "POST", "/v2.1/servers", """{"server":{"name":"@@BAD@@","imageRef":"@@IMAGE@@","flavorRef":"1"}}""", "application/json"),
        ("nova", "PUT", "/v2.1/servers/@@SERVER@@", """{"server":{"name":"@@BAD@@"}}""", "application/json"),
        ("nova", "POST", "/v2.1/servers/@@SERVER@@/metadata", """{"metadata":{"@@BAD@@":"v"}}""", "application/json"),
        ("nova", "PUT", "/v2.1/servers/@@SERVER@@/metadata", """{"metadata":{"k":"@@BAD@@"}}""", "application/json"),
        ("nova", "POST", "/v2.1/servers/@@SERVER@@/action", """{"@@BAD@@":null}""", "application/json"),
        ("nova", "POST", "/v2.1/os-security-groups", """{"security_group":{"name":"@@BAD@@","description":"d"}}""", "application/json"),
        ("nova", "POST", "/v2.1/os-security-group-rules", """{"security_group_rule":{"parent_group_id":"@@BAD@@","ip_protocol":"tcp","from_port":22,"to_port":22}}""", "application/json"),
        ("glance", "POST", "/v2/images", """{"name":"@@BAD@@","disk_format":"raw","container_format":"bare"}""", "application/json"),
        ("glance", "PATCH", "/v2/images/@@IMAGE@@", """[{"op":"add","path":"/@@BAD@@","value":"x"}]""", PatchType),
        ("glance", "PATCH", "/v2/images/@@IMAGE@@", """[{"op":"replace","path":"/name","value":"@@BAD@@"}]""", PatchType),
        ("glance", "POST", "/v2/images/@@IMAGE@@/members", """{"member":"@@BAD@@"}""", "application/json"),
        ("glance", "PUT", "/v2/images/@@IMAGE@@/members/other", """{"status":"@@BAD@@"}""", "application/json"),
        ("glance", "PUT", "/v1/images/@@IMAGE@@/members", """{"memberships":[{"member_id":"@@BAD@@"}]}""", "application/json"),
        ("glance", "PUT", "/v1/images/@@IMAGE@@/members/other", """{"member":{"@@BAD@@":false}}""", "application/json"),
    ];

    /// <summary>A lone high surrogate as a JSON escape, and raw bytes that are no UTF-8 (0xFF 0xFE).</summary>
    private static readonly (string Name, byte[] Bytes)[] Poisons =
    [
        ("lone surrogate", Encoding.ASCII.GetBytes("a\\ud800b")),
        ("invalid UTF-8", [(byte)'a', 0xFF, 0xFE, (byte)'b']),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from e in Endpoints
        from p in Poisons
        select new TestCaseData(e.Api, e.Method, e.Path, e.Body, e.Type, p.Bytes).SetArgDisplayNames($"{e.Method} {e.Path} {e.Body[..Math.Min(40, e.Body.Length)]}", p.Name);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cloud = await ComputeApiCloud.StartAsync();
        _token = await _cloud.TokenAsync("berendt");
        var created = await _cloud.NovaAsync(_token, HttpMethod.Post, "/v2.1/servers", new { server = new { name = "plain", imageRef = _cloud.ImageId, flavorRef = "1" } });
        created.Status.Should().Be(202, created.Body);
        _server = ComputeApiCloud.Json(created.Body).GetProperty("server").GetProperty("id").GetString()!;
        _image = await _cloud.Glance.CreateAsync(_token, new { name = "mine", disk_format = "raw", container_format = "bare" });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task A_string_that_is_not_unicode_is_a_400_with_a_message(string api, string method, string path, string body, string type, byte[] poison)
    {
        var baseUrl = api switch { "keystone" => _cloud.Cloud.KeystoneUrl, "nova" => _cloud.Cloud.ComputeUrl, _ => _cloud.Cloud.GlanceUrl };
        path = path.Replace("@@SERVER@@", _server, StringComparison.Ordinal).Replace("@@IMAGE@@", _image, StringComparison.Ordinal);
        var json = body.Replace("@@IMAGE@@", _cloud.ImageId, StringComparison.Ordinal);
        var at = json.IndexOf(Bad, StringComparison.Ordinal);
        byte[] bytes = [.. Encoding.UTF8.GetBytes(json[..at]), .. poison, .. Encoding.UTF8.GetBytes(json[(at + Bad.Length)..])];

        using var request = new HttpRequestMessage(new HttpMethod(method), baseUrl + path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        if (api != "keystone")
        {
            request.Headers.Add("X-Auth-Token", _token);
        }
        using var response = await _http.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, answer);
        answer.Should().MatchRegex("Malformed (JSON in request body|request body): ", "the API says what is wrong with the body");
    }

    [Test]
    public async Task Nothing_is_left_behind_by_the_refused_bodies()
    {
        // Runs after the cases in this fixture when run together; alone it shows the starting state holds.
        (await _cloud.NovaAsync(_token, HttpMethod.Get, "/v2.1/os-keypairs")).Body.Should().Be("{\"keypairs\":[]}");
        var servers = ComputeApiCloud.Json((await _cloud.NovaAsync(_token, HttpMethod.Get, "/v2.1/servers")).Body).GetProperty("servers");
        servers.EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Equal("plain");
        (await _cloud.NovaAsync(_token, HttpMethod.Get, $"/v2.1/servers/{_server}/metadata")).Body.Should().Be("{\"metadata\":{}}");
        var groups = ComputeApiCloud.Json((await _cloud.NovaAsync(_token, HttpMethod.Get, "/v2.1/os-security-groups")).Body).GetProperty("security_groups");
        groups.EnumerateArray().Select(g => g.GetProperty("name").GetString()).Should().Equal("default");
        using var images = await _cloud.Glance.SendAsync(_token, HttpMethod.Get, "/v2/images");
        (await GlanceHttp.BodyAsync(images)).GetProperty("images").EnumerateArray().Select(i => i.GetProperty("name").GetString()).Should().BeEquivalentTo("ttylinux", "mine");
        using var members = await _cloud.Glance.SendAsync(_token, HttpMethod.Get, $"/v2/images/{_image}/members");
        (await GlanceHttp.BodyAsync(members)).GetProperty("members").GetArrayLength().Should().Be(0);
        using var image = await _cloud.Glance.SendAsync(_token, HttpMethod.Get, $"/v2/images/{_image}");
        (await GlanceHttp.BodyAsync(image)).GetProperty("name").GetString().Should().Be("mine");
    }
}
