using System.Net;
using System.Text;
using Cloud.Modules.Glance;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 13: the compute host's image fetcher signed tokens for any user with the identity signing key it read from
/// the shared database, so every hypervisor could act as every user. A compute host now holds only the image reader's
/// password: its token reads one image's record and data on behalf of an instance's owner, as that owner may; glance
/// refuses it everything else, the other APIs refuse it outright, and Keystone gives it no other user's token. Over
/// HTTP to a real cloudd.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class Bug0013_ComputeHostCannotMintTokens : GlanceUsersFixture
{
    private string _reader = "";
    private string _alicesImage = "";
    private Dictionary<string, string> _onBehalfOfAlice = [];

    [OneTimeSetUp]
    public async Task StartReaderAsync()
    {
        var host = new ComputeHostGlance(Cloud);
        _reader = await host.ReaderToken().GetAsync(default);
        _alicesImage = await Glance.CreateAsync(Alice, new { name = "alices", disk_format = "raw", container_format = "bare" });
        await Glance.UploadAsync(Alice, _alicesImage, [1, 2, 3]);
        var owner = await host.OwnedByAsync("alice", "other");
        _onBehalfOfAlice = new() { [OnBehalfOfHeaders.User] = owner.UserId, [OnBehalfOfHeaders.Project] = owner.ProjectId };
    }

    [Test]
    public void The_compute_module_holds_no_token_signing_code()
    {
        var compute = Path.Combine(TestEnv.RepoRoot, "Cloud.Modules", "Compute");
        Directory.GetFiles(compute, "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("TokenSigner", StringComparison.Ordinal) || text.Contains("Identity.Tokens", StringComparison.Ordinal)))
            .Should().BeEmpty("a hypervisor must not hold the key that signs every user's tokens");
    }

    [Test]
    public async Task The_image_reader_reads_the_owners_image_record_and_data()
    {
        (await SendAsync(HttpMethod.Get, $"/v2/images/{_alicesImage}")).Should().Be(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Get, $"/v2/images/{_alicesImage}/file")).Should().Be(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Head, $"/v1/images/{_alicesImage}")).Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task The_image_reader_cannot_create_change_upload_share_or_delete_images_even_on_behalf_of_the_owner()
    {
        var create = new { name = "planted", disk_format = "raw", container_format = "bare" };
        (await SendAsync(HttpMethod.Post, "/v2/images", GlanceHttp.Json(create))).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Post, "/v1/images", null, new() { ["x-image-meta-name"] = "planted" })).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Patch, $"/v2/images/{_alicesImage}", GlanceHttp.Patch("""[{"op": "replace", "path": "/name", "value": "x"}]""")))
            .Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Put, $"/v2/images/{_alicesImage}/file", new ByteArrayContent([9]))).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Post, $"/v2/images/{_alicesImage}/members", GlanceHttp.Json(new { member = "someone" }))).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Delete, $"/v2/images/{_alicesImage}")).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Delete, $"/v1/images/{_alicesImage}")).Should().Be(HttpStatusCode.Forbidden);

        using var still = await Glance.SendAsync(Alice, HttpMethod.Get, $"/v2/images/{_alicesImage}");
        (await GlanceHttp.BodyAsync(still)).GetProperty("name").GetString().Should().Be("alices");
    }

    [Test]
    public async Task The_image_reader_reads_nothing_without_naming_an_owner_and_lists_nothing()
    {
        (await StatusAsync(HttpMethod.Get, $"/v2/images/{_alicesImage}", [])).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Get, "/v2/images")).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Get, "/v1/images/detail")).Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task The_image_readers_credential_gets_no_token_for_another_user_or_project()
    {
        using var http = new HttpClient();
        (await KeystoneAsync(http, new { methods = new[] { "password" }, password = new { user = new { name = "alice", domain = new { id = "default" }, password = ApiCloud.ImageReaderPassword } } }, "other"))
            .Should().Be(HttpStatusCode.Unauthorized);
        (await KeystoneAsync(http, new { methods = new[] { "token" }, token = new { id = _reader } }, "other"))
            .Should().Be(HttpStatusCode.Unauthorized, "the reader is no member of alice's project");
    }

    [Test]
    public async Task The_image_readers_token_opens_no_api_but_glance()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Cloud.ComputeUrl}/v2.1/servers");
        request.Headers.Add("X-Auth-Token", _reader);
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private Task<HttpStatusCode> SendAsync(HttpMethod method, string path, HttpContent? content = null, Dictionary<string, string>? headers = null) =>
        StatusAsync(method, path, new Dictionary<string, string>(_onBehalfOfAlice.Concat(headers ?? [])), content);

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, Dictionary<string, string> headers, HttpContent? content = null)
    {
        using var response = await Glance.SendAsync(_reader, method, path, content, headers: headers);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> KeystoneAsync(HttpClient http, object identity, string project)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new { auth = new { identity, scope = new { project = new { name = project, domain = new { id = "default" } } } } });
        using var response = await http.PostAsync($"{Cloud.KeystoneUrl}/v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }
}
