using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Keystone application credentials and access rules driven by the real python3-openstackclient (create, list, show,
/// delete, and logging in with <c>--os-auth-type v3applicationcredential</c>), on a cloudd process on SQLite.
/// Runs once, on SQLite (the all-in-one's default): the identity SQL runs on both dialects in IdentityContractTests, and
/// KeystoneAdminClientTests drives the same cloud on MariaDB; a second run would add minutes of client start-ups to CI.
/// </summary>
[TestFixture(false, Category = "Integration")]
[NonParallelizable]
public sealed class ApplicationCredentialClientTests(bool mariaDb)
{
    private MySqlHarness? _mysql;
    private ApiCloud _cloud = null!;
    private string _openstack = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _mysql = mariaDb ? new MySqlHarness() : null;
        _cloud = await ApiCloud.StartAsync(_mysql?.SqlConnection);
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

    private Dictionary<string, string> Password(string user, string password, string project) => _cloud.OpenStackEnvironment(user, password, project);

    private Dictionary<string, string> Alice => Password("alice", ApiCloud.UserPassword, "other");

    private Dictionary<string, string> Credential(string id, string secret) => new()
    {
        ["OS_AUTH_TYPE"] = "v3applicationcredential",
        ["OS_AUTH_URL"] = $"{_cloud.KeystoneUrl}/v3",
        ["OS_APPLICATION_CREDENTIAL_ID"] = id,
        ["OS_APPLICATION_CREDENTIAL_SECRET"] = secret,
        ["OS_IDENTITY_API_VERSION"] = "3",
    };

    private async Task<ToolRun> OpenstackAsync(IReadOnlyDictionary<string, string> env, params string[] args) =>
        await ExternalTool.RunAsync(_openstack, args, Path.GetTempPath(), environment: env);

    private async Task<JsonElement> JsonAsync(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var run = await OpenstackAsync(env, [.. args, "-f", "json"]);
        run.ExitCode.Should().Be(0, $"openstack {string.Join(' ', args)}: {run.Stderr}");
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    private async Task<(string Id, string Secret)> CreateAsync(IReadOnlyDictionary<string, string> env, string name, params string[] options)
    {
        var created = await JsonAsync(env, ["application", "credential", "create", name, .. options]);
        return (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    [Test]
    public async Task Openstack_creates_lists_shows_and_deletes_a_credential_that_logs_in_to_its_project()
    {
        var (id, secret) = await CreateAsync(Alice, "ac-basic", "--description", "for CI");
        var project = (await JsonAsync(Alice, "token", "issue")).GetProperty("project_id").GetString();

        var list = await OpenstackAsync(Alice, "application", "credential", "list", "-f", "value", "-c", "Name");
        var shown = await JsonAsync(Alice, "application", "credential", "show", "ac-basic");
        var token = await JsonAsync(Credential(id, secret), "token", "issue");
        var wrong = await OpenstackAsync(Credential(id, "not-the-secret"), "token", "issue");

        list.Stdout.Split('\n').Should().Contain("ac-basic");
        shown.GetProperty("id").GetString().Should().Be(id);
        shown.GetProperty("description").GetString().Should().Be("for CI");
        shown.GetProperty("project_id").GetString().Should().Be(project);
        shown.TryGetProperty("secret", out _).Should().BeFalse("the secret is shown once, at creation");
        token.GetProperty("project_id").GetString().Should().Be(project);
        wrong.ExitCode.Should().NotBe(0);
        wrong.Stderr.Should().Contain("The request you have made requires authentication.").And.Contain("HTTP 401");

        var delete = await OpenstackAsync(Alice, "application", "credential", "delete", "ac-basic");
        delete.ExitCode.Should().Be(0, delete.Stderr);
        (await OpenstackAsync(Credential(id, secret), "token", "issue")).ExitCode.Should().NotBe(0);
        using var http = new HttpClient();
        (await GetAsync(http, "/v3/auth/projects", token.GetProperty("id").GetString()!)).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "deleting a credential ends the tokens it made");
    }

    [Test]
    public async Task A_restricted_credential_cannot_make_another_and_an_unrestricted_one_can()
    {
        var restricted = await CreateAsync(Alice, "ac-restricted");
        var unrestricted = await CreateAsync(Alice, "ac-unrestricted", "--unrestricted");

        var refused = await OpenstackAsync(Credential(restricted.Id, restricted.Secret), "application", "credential", "create", "ac-child-1");
        var allowed = await OpenstackAsync(Credential(unrestricted.Id, unrestricted.Secret), "application", "credential", "create", "ac-child-2");

        refused.ExitCode.Should().NotBe(0);
        refused.Stderr.Should().Contain("not allowed for managing additional application credentials").And.Contain("HTTP 403");
        allowed.ExitCode.Should().Be(0, allowed.Stderr);
    }

    [Test]
    public async Task The_credential_carries_only_the_roles_asked_for_and_none_the_creator_lacks()
    {
        var berendt = Password("berendt", ApiCloud.AdminPassword, "testing");
        var (id, secret) = await CreateAsync(berendt, "ac-member-only", "--role", "member");

        var token = await JsonAsync(Credential(id, secret), "token", "issue");
        using var http = new HttpClient();
        var body = await (await ValidateAsync(http, token.GetProperty("id").GetString()!)).Content.ReadAsStringAsync();
        var escalate = await OpenstackAsync(Alice, "application", "credential", "create", "ac-escalate", "--role", "admin");

        var shown = JsonDocument.Parse(body).RootElement.GetProperty("token");
        shown.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Should().Equal("member");
        shown.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).Should().Equal("application_credential");
        shown.GetProperty("application_credential").GetProperty("id").GetString().Should().Be(id);
        shown.GetProperty("application_credential").GetProperty("restricted").GetBoolean().Should().BeTrue();
        escalate.ExitCode.Should().NotBe(0, "alice holds no admin role in her project");
    }

    [Test]
    public async Task An_expiry_in_the_past_is_refused_and_a_credential_stops_working_when_it_expires()
    {
        var past = await OpenstackAsync(Alice, "application", "credential", "create", "ac-past", "--expiration", "2000-01-01T00:00:00");
        past.ExitCode.Should().NotBe(0);
        past.Stderr.Should().Contain("must not be before now").And.Contain("HTTP 400");

        var expires = DateTime.UtcNow.AddSeconds(20);
        var (id, secret) = await CreateAsync(Alice, "ac-soon", "--expiration", expires.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        using var http = new HttpClient();
        var login = await LoginAsync(http, id, secret);
        if (login.StatusCode == HttpStatusCode.Created)
        {
            var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("token");
            DateTime.Parse(token.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)
                .Should().BeOnOrBefore(expires.AddSeconds(1), "a token never outlives its credential");
        }

        await Poller.UntilAsync(async () => (await LoginAsync(http, id, secret)).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(90), "the expired credential to be refused");
        var cli = await OpenstackAsync(Credential(id, secret), "token", "issue");
        cli.ExitCode.Should().NotBe(0);
        cli.Stderr.Should().Contain("HTTP 401");
    }

    [Test]
    public async Task Access_rules_are_kept_listed_and_deletable_only_once_unused()
    {
        const string rules = """[{"service": "compute", "method": "GET", "path": "/v2.1/servers"}]""";
        var created = await JsonAsync(Alice, "application", "credential", "create", "ac-rules", "--access-rules", rules);
        var listed = await JsonAsync(Alice, "access", "rule", "list");
        var rule = listed.EnumerateArray().Single(r => r.GetProperty("Path").GetString() == "/v2.1/servers");
        var ruleId = rule.GetProperty("ID").GetString()!;

        created.GetProperty("access_rules").ToString().Should().Contain("/v2.1/servers");
        rule.GetProperty("Service").GetString().Should().Be("compute");
        var inUse = await OpenstackAsync(Alice, "access", "rule", "delete", ruleId);
        inUse.ExitCode.Should().NotBe(0);
        inUse.Stderr.Should().Contain("May not delete access rule in use");

        (await OpenstackAsync(Alice, "application", "credential", "delete", "ac-rules")).ExitCode.Should().Be(0);
        var deleted = await OpenstackAsync(Alice, "access", "rule", "delete", ruleId);
        deleted.ExitCode.Should().Be(0, deleted.Stderr);
    }

    [Test]
    public async Task Another_users_credentials_are_forbidden_under_their_path_and_not_found_under_ones_own()
    {
        var (id, _) = await CreateAsync(Password("berendt", ApiCloud.AdminPassword, "testing"), "ac-berendt");
        using var http = new HttpClient();
        var alice = await PasswordTokenAsync(http, "alice", ApiCloud.UserPassword);
        var aliceToken = JsonDocument.Parse(await (await ValidateAsync(http, alice)).Content.ReadAsStringAsync()).RootElement.GetProperty("token");
        var berendtId = (await JsonAsync(Password("berendt", ApiCloud.AdminPassword, "testing"), "token", "issue")).GetProperty("user_id").GetString();

        // Keystone's policy refuses the other user's path before any look-up: a real id and an unknown one answer alike.
        (await GetAsync(http, $"/v3/users/{berendtId}/application_credentials/{id}", alice)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await GetAsync(http, $"/v3/users/{berendtId}/application_credentials/{Guid.NewGuid():N}", alice)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await GetAsync(http, $"/v3/users/{aliceToken.GetProperty("user").GetProperty("id").GetString()}/application_credentials/{id}", alice)).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(http, $"/v3/users/{berendtId}/application_credentials", alice)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [TestCase("""{"application_credential": {}}""", "'name' is a required property")]
    [TestCase("""{"application_credential": {"name": 7}}""", "Invalid input for field 'name'")]
    [TestCase("""{"application_credential": {"name": "x", "unrestricted": "yes"}}""", "Invalid input for field 'unrestricted'")]
    [TestCase("""{"application_credential": {"name": "x", "expires_at": "tomorrow"}}""", "Timestamp not in expected format")]
    [TestCase("""{"application_credential": {"name": "x", "roles": [{"id": "a", "name": "b"}]}}""", "Invalid input for field 'roles/0'")]
    [TestCase("""{"application_credential": {"name": "x", "access_rules": [{"service": "compute", "method": "FETCH", "path": "/"}]}}""", "access_rules/0/method")]
    public async Task Bad_create_bodies_get_a_400_naming_the_field(string body, string message)
    {
        using var http = new HttpClient();
        var token = await PasswordTokenAsync(http, "alice", ApiCloud.UserPassword);
        var user = JsonDocument.Parse(await (await ValidateAsync(http, token)).Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetProperty("user").GetProperty("id").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_cloud.KeystoneUrl}/v3/users/{user}/application_credentials")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Auth-Token", token);

        var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString().Should().Contain(message);
    }

    [Test]
    public async Task A_credentials_token_cannot_be_traded_for_a_wider_one_nor_ask_for_a_scope()
    {
        var (id, secret) = await CreateAsync(Alice, "ac-no-rescope");
        using var http = new HttpClient();
        var token = (await LoginAsync(http, id, secret)).Headers.GetValues("X-Subject-Token").Single();

        var traded = await PostTokenAsync(http, new { identity = new { methods = new[] { "token" }, token = new { id = token } }, scope = OtherProject });
        var scoped = await PostTokenAsync(http, new { identity = new { methods = new[] { "application_credential" }, application_credential = new { id, secret } }, scope = OtherProject });

        traded.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        scoped.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await scoped.Content.ReadAsStringAsync()).Should().Contain("Application credentials cannot request a scope");
    }

    private static readonly object OtherProject = new { project = new { name = "other", domain = new { id = "default" } } };

    private Task<HttpResponseMessage> LoginAsync(HttpClient http, string id, string secret) =>
        PostTokenAsync(http, new { identity = new { methods = new[] { "application_credential" }, application_credential = new { id, secret } } });

    private async Task<string> PasswordTokenAsync(HttpClient http, string user, string password)
    {
        var response = await PostTokenAsync(http, new
        {
            identity = new { methods = new[] { "password" }, password = new { user = new { name = user, domain = new { id = "default" }, password } } },
            scope = OtherProject,
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return response.Headers.GetValues("X-Subject-Token").Single();
    }

    private async Task<HttpResponseMessage> PostTokenAsync(HttpClient http, object auth) =>
        await http.PostAsync($"{_cloud.KeystoneUrl}/v3/auth/tokens", new StringContent(JsonSerializer.Serialize(new { auth }), Encoding.UTF8, "application/json"));

    private async Task<HttpResponseMessage> ValidateAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_cloud.KeystoneUrl}/v3/auth/tokens");
        request.Headers.Add("X-Auth-Token", token);
        request.Headers.Add("X-Subject-Token", token);
        return await http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_cloud.KeystoneUrl}{path}");
        request.Headers.Add("X-Auth-Token", token);
        return await http.SendAsync(request);
    }
}
