using System.Net;
using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Keystone EC2 credentials made and removed with the real <c>openstack ec2 credentials</c> commands, then used by the
/// real awscli against cloudd's EC2 API, which verifies their signatures and acts in the project they are bound to.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class Ec2CredentialClientTests
{
    private ApiCloud _cloud = null!;
    private string _openstack = "";
    private string _aws = "";

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ApiCloud.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    [SetUp]
    public void RequireClients()
    {
        _openstack = ExternalTool.Require("/usr/bin/openstack", "python3-openstackclient");
        _aws = ExternalTool.Require("/usr/bin/aws", "awscli");
    }

    private Dictionary<string, string> Password(string user, string password, string project) => _cloud.OpenStackEnvironment(user, password, project);

    private async Task<ToolRun> OpenstackAsync(IReadOnlyDictionary<string, string> env, params string[] args) =>
        await ExternalTool.RunAsync(_openstack, args, Path.GetTempPath(), environment: env);

    private async Task<ToolRun> AwsAsync(string access, string secret, params string[] args) =>
        await ExternalTool.RunAsync(_aws, ["ec2", .. args, "--endpoint-url", _cloud.Ec2Url, "--region", "nova", "--output", "text"], Path.GetTempPath(), environment: ApiCloud.AwsEnvironment(access, secret));

    private async Task<(string Access, string Secret, string Project)> CreateAsync(IReadOnlyDictionary<string, string> env, params string[] options)
    {
        var run = await OpenstackAsync(env, ["ec2", "credentials", "create", .. options, "-f", "json"]);
        run.ExitCode.Should().Be(0, run.Stderr);
        var created = JsonDocument.Parse(run.Stdout).RootElement;
        return (created.GetProperty("access").GetString()!, created.GetProperty("secret").GetString()!, created.GetProperty("project_id").GetString()!);
    }

    [Test]
    public async Task Openstack_ec2_credentials_work_with_awscli_until_deleted()
    {
        var alice = Password("alice", ApiCloud.UserPassword, "other");
        var (access, secret, project) = await CreateAsync(alice);

        var listed = await OpenstackAsync(alice, "ec2", "credentials", "list", "-f", "value", "-c", "Access");
        var shown = await OpenstackAsync(alice, "ec2", "credentials", "show", access, "-f", "json");
        var instances = await AwsAsync(access, secret, "describe-instances");
        var regions = await AwsAsync(access, secret, "describe-regions");

        listed.Stdout.Split('\n').Should().Contain(access);
        JsonDocument.Parse(shown.Stdout).RootElement.GetProperty("project_id").GetString().Should().Be(project);
        instances.ExitCode.Should().Be(0, instances.Stderr);
        regions.ExitCode.Should().Be(0, regions.Stderr);

        var delete = await OpenstackAsync(alice, "ec2", "credentials", "delete", access);
        delete.ExitCode.Should().Be(0, delete.Stderr);
        var after = await AwsAsync(access, secret, "describe-instances");
        after.ExitCode.Should().NotBe(0);
        after.Stderr.Should().Contain("(AuthFailure)");
        var (legacyAccess, legacySecret) = await _cloud.Ec2KeysAsync("alice");
        (await AwsAsync(legacyAccess, legacySecret, "describe-instances")).ExitCode.Should().Be(0, "the user's own keys keep working");
    }

    [Test]
    public async Task A_credential_acts_in_the_project_it_is_bound_to()
    {
        // berendt may work in every project (his own keys act in his first, testing); his credential made while working
        // in "other" makes the group there, where alice sees it.
        var other = (await OpenstackAsync(Password("alice", ApiCloud.UserPassword, "other"), "token", "issue", "-f", "value", "-c", "project_id")).Stdout.Trim();
        var (access, secret, project) = await CreateAsync(Password("berendt", ApiCloud.AdminPassword, "other"));

        var made = await AwsAsync(access, secret, "create-security-group", "--group-name", "bound-to-other", "--description", "made with a keystone ec2 credential");
        var (aliceAccess, aliceSecret) = await _cloud.Ec2KeysAsync("alice");
        var seen = await AwsAsync(aliceAccess, aliceSecret, "describe-security-groups");

        project.Should().Be(other);
        made.ExitCode.Should().Be(0, made.Stderr);
        seen.Stdout.Should().Contain("bound-to-other");
    }

    [Test]
    public async Task Openstack_credential_list_show_and_delete_reach_ones_own_ec2_pairs_only()
    {
        var alice = Password("alice", ApiCloud.UserPassword, "other");
        var (access, secret, project) = await CreateAsync(alice);
        var (foreignAccess, _, _) = await CreateAsync(Password("berendt", ApiCloud.AdminPassword, "testing"));
        // Keystone keeps an EC2 pair under the SHA-256 of its access key.
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(access)));
        var foreignId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(foreignAccess)));

        var listed = await OpenstackAsync(alice, "credential", "list", "--type", "ec2", "-f", "value", "-c", "ID");
        var shown = await OpenstackAsync(alice, "credential", "show", id, "-f", "json");
        var foreign = await OpenstackAsync(alice, "credential", "show", foreignId);

        listed.ExitCode.Should().Be(0, listed.Stderr);
        listed.Stdout.Split('\n').Should().Contain(id).And.NotContain(foreignId);
        shown.ExitCode.Should().Be(0, shown.Stderr);
        var credential = JsonDocument.Parse(shown.Stdout).RootElement;
        credential.GetProperty("type").GetString().Should().Be("ec2");
        credential.GetProperty("project_id").GetString().Should().Be(project);
        var blob = JsonDocument.Parse(credential.GetProperty("blob").GetString()!).RootElement;
        blob.GetProperty("access").GetString().Should().Be(access);
        blob.GetProperty("secret").GetString().Should().Be(secret);
        // GET of the id is a 404; osc then searches the caller's own list, so it may print alice's pair, never berendt's.
        foreign.Stdout.Should().NotContain(foreignAccess);

        var delete = await OpenstackAsync(alice, "credential", "delete", id);
        delete.ExitCode.Should().Be(0, delete.Stderr);
        (await AwsAsync(access, secret, "describe-instances")).ExitCode.Should().NotBe(0);
    }

    [Test]
    public async Task Another_users_credentials_are_out_of_reach_and_a_project_must_exist()
    {
        var alice = Password("alice", ApiCloud.UserPassword, "other");
        var (access, _, _) = await CreateAsync(Password("berendt", ApiCloud.AdminPassword, "testing"));

        var foreign = await OpenstackAsync(alice, "ec2", "credentials", "delete", access);
        var noProject = await OpenstackAsync(alice, "ec2", "credentials", "create", "--project", "0123456789abcdef0123456789abcdef");

        foreign.ExitCode.Should().NotBe(0);
        noProject.ExitCode.Should().NotBe(0);
        using var http = new HttpClient();
        (await http.GetAsync($"{_cloud.KeystoneUrl}/v3/users/x/credentials/OS-EC2")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
