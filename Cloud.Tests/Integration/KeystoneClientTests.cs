using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The api role's Keystone v3 endpoint driven by the real python3-openstackclient and by raw HTTP,
/// on a cloudd process with SQLite, and with MariaDB.
/// </summary>
[TestFixture(false, Category = "Integration")]
[TestFixture(true, Category = "Integration")]
[NonParallelizable]
public sealed class KeystoneClientTests(bool mariaDb)
{
    private MySqlHarness? _mysql;

    private ApiCloud _cloud = null!;
    private string _url = "";
    private string _openstack = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _mysql = mariaDb ? new MySqlHarness() : null;
        _cloud = await ApiCloud.StartAsync(_mysql?.SqlConnection);
        _url = _cloud.KeystoneUrl;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _cloud.DisposeAsync();
        if (_mysql is not null)
        {
            await _mysql.DisposeAsync();
        }
    }

    [SetUp]
    public void RequireClient() => _openstack = ExternalTool.Require("/usr/bin/openstack", "python3-openstackclient");

    private Dictionary<string, string> Novarc(string user, string password, string project) => new()
    {
        ["OS_AUTH_URL"] = $"{_url}/v3",
        ["OS_USERNAME"] = user,
        ["OS_PASSWORD"] = password,
        ["OS_PROJECT_NAME"] = project,
        ["OS_USER_DOMAIN_NAME"] = "Default",
        ["OS_PROJECT_DOMAIN_NAME"] = "Default",
        ["OS_IDENTITY_API_VERSION"] = "3",
    };

    [Test]
    public async Task Openstack_token_issue_catalog_list_and_project_list_work()
    {
        var env = Novarc("berendt", ApiCloud.AdminPassword, "testing");

        var token = await ExternalTool.RunAsync(_openstack, ["token", "issue", "-f", "value", "-c", "project_id", "-c", "user_id"], Path.GetTempPath(), environment: env);
        var catalog = await ExternalTool.RunAsync(_openstack, ["catalog", "list", "-f", "value", "-c", "Type"], Path.GetTempPath(), environment: env);
        var projects = await ExternalTool.RunAsync(_openstack, ["project", "list", "-f", "value", "-c", "Name"], Path.GetTempPath(), environment: env);

        token.ExitCode.Should().Be(0, token.Stderr);
        token.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2);
        catalog.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo("identity", "compute", "image", "object-store", "ec2", "volumev3", "block-storage");
        projects.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo("testing", "other");
    }

    [Test]
    public async Task Old_v2_0_scripts_with_a_tenant_name_still_get_a_token()
    {
        var env = new Dictionary<string, string>
        {
            ["OS_AUTH_URL"] = $"{_url}/v2.0",
            ["OS_USERNAME"] = "alice",
            ["OS_PASSWORD"] = ApiCloud.UserPassword,
            ["OS_TENANT_NAME"] = "other",
            ["OS_IDENTITY_API_VERSION"] = "2",
        };

        var token = await ExternalTool.RunAsync(_openstack, ["token", "issue", "-f", "value", "-c", "project_id"], Path.GetTempPath(), environment: env);
        var catalog = await ExternalTool.RunAsync(_openstack, ["catalog", "list", "-f", "value", "-c", "Type"], Path.GetTempPath(), environment: env);

        token.ExitCode.Should().Be(0, token.Stderr);
        token.Stdout.Trim().Should().MatchRegex("^[0-9a-f]{32}$");
        catalog.Stdout.Should().Contain("compute").And.Contain("object-store");
    }

    [Test]
    public async Task A_member_of_one_project_cannot_get_a_token_for_another()
    {
        var own = await ExternalTool.RunAsync(_openstack, ["token", "issue"], Path.GetTempPath(), environment: Novarc("alice", ApiCloud.UserPassword, "other"));
        var foreign = await ExternalTool.RunAsync(_openstack, ["token", "issue"], Path.GetTempPath(), environment: Novarc("alice", ApiCloud.UserPassword, "testing"));

        own.ExitCode.Should().Be(0, own.Stderr);
        foreign.ExitCode.Should().NotBe(0);
        foreign.Stderr.Should().Contain("The request you have made requires authentication.").And.Contain("HTTP 401");
    }

    [Test]
    public async Task A_wrong_password_is_refused_with_401()
    {
        var result = await ExternalTool.RunAsync(_openstack, ["token", "issue"], Path.GetTempPath(), environment: Novarc("alice", "wrong", "other"));

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("HTTP 401");
    }

    [Test]
    public async Task A_revoked_token_is_refused()
    {
        using var http = new HttpClient();
        var token = await IssueAsync(http, "alice", ApiCloud.UserPassword);
        var check = () => Send(http, HttpMethod.Get, "/v3/auth/projects", token);
        (await check()).StatusCode.Should().Be(HttpStatusCode.OK);

        using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"{_url}/v3/auth/tokens");
        revoke.Headers.Add("X-Auth-Token", token);
        revoke.Headers.Add("X-Subject-Token", token);
        (await http.SendAsync(revoke)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await check()).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [TestCase("{\"auth\": ", "application/json", HttpStatusCode.BadRequest, "Malformed JSON")]
    [TestCase("{}", "application/json", HttpStatusCode.BadRequest, "Expecting to find auth")]
    [TestCase("{\"auth\": {\"identity\": {\"methods\": \"password\"}}}", "application/json", HttpStatusCode.BadRequest, "identity.methods")]
    [TestCase("{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": 7, \"password\": \"x\"}}}}}", "application/json", HttpStatusCode.BadRequest, "must be a string")]
    [TestCase("{\"auth\": {\"identity\": {\"methods\": [\"magic\"]}}}", "application/json", HttpStatusCode.Unauthorized, "Unsupported authentication method")]
    [TestCase("auth=me", "application/x-www-form-urlencoded", HttpStatusCode.BadRequest, "Content-Type application/json")]
    public async Task Bad_token_requests_get_a_4xx_with_a_message(string body, string contentType, HttpStatusCode status, string message)
    {
        using var http = new HttpClient();
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await http.PostAsync($"{_url}/v3/auth/tokens", content);

        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (await response.Content.ReadAsStringAsync()).Should().Contain(message).And.NotContain("   at ");
    }

    [Test]
    public async Task An_oversized_body_is_refused_with_413()
    {
        using var http = new HttpClient();
        using var content = new StringContent(new string('a', 200_000), Encoding.UTF8, "application/json");

        (await http.PostAsync($"{_url}/v3/auth/tokens", content)).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task Passwords_and_tokens_never_reach_the_log()
    {
        using var http = new HttpClient();
        var token = await IssueAsync(http, "berendt", ApiCloud.AdminPassword);
        await Send(http, HttpMethod.Get, "/v3/auth/catalog", token);

        _cloud.Logs.Should().Contain("POST /v3/auth/tokens 201").And.NotContain(ApiCloud.AdminPassword).And.NotContain(ApiCloud.UserPassword).And.NotContain(token);
    }

    private async Task<string> IssueAsync(HttpClient http, string user, string password)
    {
        var body = $"{{\"auth\": {{\"identity\": {{\"methods\": [\"password\"], \"password\": {{\"user\": {{\"name\": \"{user}\", \"domain\": {{\"id\": \"default\"}}, \"password\": \"{password}\"}}}}}}}}}}";
        var response = await http.PostAsync($"{_url}/v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return response.Headers.GetValues("X-Subject-Token").Single();
    }

    private async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, $"{_url}{path}");
        request.Headers.Add("X-Auth-Token", token);
        return await http.SendAsync(request);
    }
}
