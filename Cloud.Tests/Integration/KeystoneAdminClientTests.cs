using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Keystone administration driven by the real <c>openstack</c> client against a cloudd running api, scheduler, compute
/// (fake driver) and glance: an admin makes a project, a user and a role assignment, and that user then works in the
/// project (key pair, server) without seeing another project's servers; a reader may look but not change; domains,
/// groups, roles and implied roles, role assignments. Runs once, on MariaDB and RabbitMQ: the identity SQL runs on both
/// dialects in IdentityContractTests, and ApplicationCredentialClientTests drives the same cloud on SQLite; a second run
/// would add minutes of client start-ups to CI and nothing it could find.
/// </summary>
[TestFixture(true, Category = "Integration")]
[NonParallelizable]
public sealed class KeystoneAdminClientTests(bool mariaDb)
{
    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ComputeApiCloud.StartAsync(mariaDb);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private Task<string> AdminAsync(params string[] args) => OkAsync(_cloud.OpenstackAsync("berendt", args), args);

    private async Task<string> OkAsync(Task<ToolRun> running, string[] args)
    {
        var run = await running;
        run.ExitCode.Should().Be(0, $"openstack {string.Join(' ', args)}: {run}\n{_cloud.Cloud.Logs[^Math.Min(_cloud.Cloud.Logs.Length, 4000)..]}");
        return run.Stdout;
    }

    [Test]
    public async Task A_user_made_with_project_user_and_role_add_works_in_that_project_only()
    {
        await AdminAsync("project", "create", "--description", "acme corp", "acme");
        await AdminAsync("user", "create", "--project", "acme", "--password", "dave-secret", "--email", "dave@example.com", "dave");
        await AdminAsync("role", "add", "--user", "dave", "--project", "acme", "member");
        (await AdminAsync("role", "assignment", "list", "--user", "dave", "--project", "acme", "--names", "-f", "value", "-c", "Role")).Should().Contain("member");
        var alices = await OkAsync(_cloud.OpenstackAsync("alice", "server", "create", "--flavor", "m1.tiny", "--image", "ttylinux", "alices-vm", "-f", "value", "-c", "id"), ["server create"]);

        Task<string> Dave(params string[] args) => OkAsync(_cloud.OpenstackAsAsync("dave", "dave-secret", "acme", args), args);
        (await Dave("token", "issue", "-f", "value", "-c", "project_id")).Trim().Should().NotBeEmpty();
        await Dave("keypair", "create", "daves-key");
        await Dave("server", "create", "--flavor", "m1.tiny", "--image", "ttylinux", "--key-name", "daves-key", "daves-vm");

        var list = await Dave("server", "list", "-f", "value", "-c", "Name");
        list.Should().Contain("daves-vm").And.NotContain("alices-vm");
        (await _cloud.OpenstackAsAsync("dave", "dave-secret", "acme", "server", "show", alices.Trim())).ExitCode.Should().NotBe(0, "another project's server is not found");
        (await _cloud.OpenstackAsync("alice", "server", "list", "-f", "value", "-c", "Name")).Stdout.Should().NotContain("daves-vm");
        (await _cloud.OpenstackAsAsync("dave", "dave-secret", "other", "server", "list")).ExitCode.Should().NotBe(0, "dave holds no role in alice's project");

        await AdminAsync("role", "remove", "--user", "dave", "--project", "acme", "member");
        (await _cloud.OpenstackAsAsync("dave", "dave-secret", "acme", "server", "list")).Stderr.Should().Contain("HTTP 401");
    }

    [Test]
    public async Task A_reader_sees_the_project_but_every_change_is_refused_with_the_policy_message()
    {
        await AdminAsync("project", "create", "readonly");
        await AdminAsync("user", "create", "--password", "reed-secret", "reed");
        await AdminAsync("role", "add", "--user", "reed", "--project", "readonly", "reader");

        (await OkAsync(_cloud.OpenstackAsAsync("reed", "reed-secret", "readonly", "server", "list"), ["server list"])).Trim().Should().BeEmpty();
        (await OkAsync(_cloud.OpenstackAsAsync("reed", "reed-secret", "readonly", "image", "list"), ["image list"])).Should().Contain("ttylinux");
        var keypair = await _cloud.OpenstackAsAsync("reed", "reed-secret", "readonly", "keypair", "create", "nope");
        var server = await _cloud.OpenstackAsAsync("reed", "reed-secret", "readonly", "server", "create", "--flavor", "m1.tiny", "--image", "ttylinux", "nope");
        var image = await _cloud.OpenstackAsAsync("reed", "reed-secret", "readonly", "image", "create", "nope");

        keypair.Stderr.Should().Contain("Policy doesn't allow os_compute_api:os-keypairs:create to be performed").And.Contain("403");
        server.Stderr.Should().Contain("Policy doesn't allow os_compute_api:servers:create to be performed");
        image.ExitCode.Should().NotBe(0);
        image.Stderr.Should().Contain("403");
        (await _cloud.OpenstackAsAsync("reed", "reed-secret", "readonly", "project", "create", "mine")).Stderr
            .Should().Contain("You are not authorized to perform the requested action: identity:create_project");
    }

    [Test]
    public async Task Domains_groups_roles_and_implied_roles_are_managed_and_tokens_carry_the_effective_roles()
    {
        (await AdminAsync("domain", "list", "-f", "value", "-c", "Name")).Should().Contain("Default");
        await AdminAsync("domain", "create", "--description", "partners", "partners");
        await AdminAsync("domain", "set", "--disable", "partners");
        await AdminAsync("domain", "delete", "partners");
        (await AdminAsync("domain", "list", "-f", "value", "-c", "Name")).Should().NotContain("partners");

        await AdminAsync("project", "create", "--tag", "blue", "--tag", "green", "teams");
        await AdminAsync("project", "create", "--parent", "teams", "team-a");
        (await AdminAsync("project", "show", "team-a", "-f", "value", "-c", "parent_id")).Trim()
            .Should().Be((await AdminAsync("project", "show", "teams", "-f", "value", "-c", "id")).Trim());
        (await AdminAsync("project", "list", "--tags", "blue", "-f", "value", "-c", "Name")).Trim().Should().Be("teams");

        await AdminAsync("user", "create", "--password", "erin-secret", "erin");
        await AdminAsync("group", "create", "ops");
        await AdminAsync("group", "add", "user", "ops", "erin");
        (await AdminAsync("group", "contains", "user", "ops", "erin")).Should().Contain("erin in group ops");
        await AdminAsync("role", "create", "auditor");
        await AdminAsync("implied", "role", "create", "--implied-role", "reader", "auditor");
        (await AdminAsync("implied", "role", "list", "-f", "value")).Should().Contain("auditor");
        await AdminAsync("role", "add", "--group", "ops", "--project", "team-a", "auditor");

        var roles = await OkAsync(_cloud.OpenstackAsAsync("erin", "erin-secret", "team-a", "token", "issue", "-f", "value", "-c", "project_id"), ["token issue"]);
        roles.Should().NotBeEmpty();
        var effective = await AdminAsync("role", "assignment", "list", "--user", "erin", "--effective", "--names", "-f", "value", "-c", "Role");
        effective.Should().Contain("auditor").And.Contain("reader");

        await AdminAsync("user", "set", "--disable", "erin");
        (await _cloud.OpenstackAsAsync("erin", "erin-secret", "team-a", "token", "issue")).Stderr.Should().Contain("HTTP 401");
    }

    [Test]
    public async Task A_user_changes_their_own_password_with_the_original_one()
    {
        await AdminAsync("project", "create", "pw");
        await AdminAsync("user", "create", "--password", "old-secret", "frank");
        await AdminAsync("role", "add", "--user", "frank", "--project", "pw", "member");

        var wrong = await _cloud.OpenstackAsAsync("frank", "old-secret", "pw", "user", "password", "set", "--original-password", "bad", "--password", "new-secret");
        wrong.ExitCode.Should().NotBe(0);
        await OkAsync(_cloud.OpenstackAsAsync("frank", "old-secret", "pw", "user", "password", "set", "--original-password", "old-secret", "--password", "new-secret"), ["password set"]);

        (await _cloud.OpenstackAsAsync("frank", "old-secret", "pw", "token", "issue")).Stderr.Should().Contain("HTTP 401");
        await OkAsync(_cloud.OpenstackAsAsync("frank", "new-secret", "pw", "token", "issue"), ["token issue"]);
    }

    [Test]
    public async Task An_admin_gets_a_system_scoped_token_and_the_nova_manage_admin_holds_admin_on_the_system()
    {
        var (status, body) = await SystemTokenAsync("berendt", ApiCloud.AdminPassword);
        status.Should().Be(201, body);
        body.Should().Contain("\"system\":{\"all\":true}").And.Contain("\"name\":\"admin\"").And.Contain("\"name\":\"reader\"");
        (await AdminAsync("role", "assignment", "list", "--system", "all", "--names", "-f", "value", "-c", "User")).Should().Contain("berendt");
        (await SystemTokenAsync("alice", ApiCloud.UserPassword)).Status.Should().Be(401);
    }

    private async Task<(int Status, string Body)> SystemTokenAsync(string user, string password)
    {
        using var http = new HttpClient();
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = user, domain = new { id = "default" }, password } } },
                scope = new { system = new { all = true } },
            },
        });
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri($"{_cloud.Cloud.KeystoneUrl}/v3/auth/tokens"), content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
