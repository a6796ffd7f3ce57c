using System.Net;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Issue 17 item 4: the object store holds Keystone callers to swift's keystoneauth rules. One all-in-one cloudd (api,
/// swift proxy and storage, SQLite) with <c>--swift_reseller_prefix=AUTH, SERVICE</c>, keystoneauth's operator roles
/// (admin, swiftoperator) and <c>SERVICE=service</c> service roles; users and roles made with the real
/// <c>openstack</c> client, the object store driven by <c>swift --os-*</c> (python-swiftclient) and, for the two-token
/// requests no CLI sends, HTTP.
/// </summary>
[TestFixture(Category = "Integration")]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SwiftKeystoneAuthTests
{
    private const string DavePassword = "dave-secret";
    private const string ServicePassword = "glance-secret";

    private ComputeApiCloud _cloud = null!;
    private string _proxy = null!;
    private string _other = null!;
    private readonly HttpClient _http = new();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ExternalTool.Require("/usr/bin/swift", "python3-swiftclient");
        var proxyPort = FreePort.Next();
        _proxy = $"http://127.0.0.1:{proxyPort}";
        var api = await ApiCloud.StartAsync(roles: "api,swift-proxy,swift-storage", extraFlags:
        [
            $"--swift_proxy_bind=127.0.0.1:{proxyPort}", $"--swift_url={_proxy}/v1/AUTH_",
            $"--swift_object_port={FreePort.Next()}", $"--swift_container_port={FreePort.Next()}", $"--swift_account_port={FreePort.Next()}",
            "--swift_reseller_prefix=AUTH, SERVICE", "--swift_operator_roles=admin, swiftoperator", "--swift_service_roles=SERVICE=service",
        ]);
        _cloud = await ComputeApiCloud.AroundAsync(api);
        await Poller.UntilAsync(() => SwiftCluster.AnswersAsync(_http, $"{_proxy}/healthcheck"), TimeSpan.FromSeconds(60), "the swift proxy");
        foreach (var role in new[] { "swiftoperator", "ResellerAdmin", "service" })
        {
            await _cloud.OpenstackOkAsync("berendt", "role", "create", role);
        }
        await _cloud.OpenstackOkAsync("berendt", "user", "create", "--project", "other", "--password", DavePassword, "dave");
        await _cloud.OpenstackOkAsync("berendt", "role", "add", "--user", "dave", "--project", "other", "member");
        await _cloud.OpenstackOkAsync("berendt", "user", "create", "--project", "testing", "--password", ServicePassword, "glance");
        await _cloud.OpenstackOkAsync("berendt", "role", "add", "--user", "glance", "--project", "testing", "service");
        _other = (await _cloud.OpenstackOkAsync("berendt", "project", "show", "other", "-f", "value", "-c", "id")).Trim();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _cloud.DisposeAsync();
    }

    private Task<ToolRun> SwiftAsync(string user, string password, string project, params string[] args) =>
        ExternalTool.RunAsync("/usr/bin/swift", args, _cloud.Home, environment: _cloud.Cloud.OpenStackEnvironment(user, password, project), timeout: TimeSpan.FromSeconds(90));

    private async Task<string> SwiftOkAsync(string user, string password, string project, params string[] args)
    {
        var run = await SwiftAsync(user, password, project, args);
        run.ExitCode.Should().Be(0, $"swift {string.Join(' ', args)} as {user}: {run}");
        return run.Stdout;
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? token, string? serviceToken = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, _proxy + path);
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }
        if (serviceToken is not null)
        {
            request.Headers.Add("X-Service-Token", serviceToken);
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        if (method == HttpMethod.Put)
        {
            request.Content = new ByteArrayContent([]);
        }
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    [Test]
    public async Task A_member_without_an_operator_role_is_refused_and_with_swiftoperator_owns_the_account()
    {
        var refused = await SwiftAsync("dave", DavePassword, "other", "post", "daves");
        refused.ExitCode.Should().NotBe(0, "member is not among the operator roles");
        (refused.Stdout + refused.Stderr).Should().Contain("403");
        (await _cloud.OpenstackAsAsync("dave", DavePassword, "other", "container", "create", "daves")).ExitCode.Should().NotBe(0);

        await _cloud.OpenstackOkAsync("berendt", "role", "add", "--user", "dave", "--project", "other", "swiftoperator");
        await SwiftOkAsync("dave", DavePassword, "other", "post", "daves");
        (await SwiftOkAsync("dave", DavePassword, "other", "stat")).Should().Contain($"AUTH_{_other}");
        (await SwiftOkAsync("dave", DavePassword, "other", "list")).Should().Contain("daves");
        await _cloud.OpenstackOkAsync("berendt", "role", "remove", "--user", "dave", "--project", "other", "swiftoperator");
        (await SwiftAsync("dave", DavePassword, "other", "list")).ExitCode.Should().NotBe(0, "without the role dave no longer owns the account");
    }

    [Test]
    public async Task An_admin_operates_only_its_own_projects_account_and_a_reseller_admin_reaches_any()
    {
        var admin = await _cloud.TokenAsync("berendt");
        (await SendAsync(HttpMethod.Head, $"/v1/AUTH_{_other}", admin)).Should().Be(HttpStatusCode.Forbidden, "admin is an operator role of its own project only");
        (await SendAsync(HttpMethod.Get, $"/v1/OTHER_{_other}", admin)).Should().Be(HttpStatusCode.Forbidden, "OTHER_ is not a listed prefix");
        (await SendAsync(HttpMethod.Get, $"/v1/OTHER_{_other}", null)).Should().Be(HttpStatusCode.Unauthorized);

        await _cloud.OpenstackOkAsync("berendt", "role", "add", "--user", "berendt", "--project", "testing", "ResellerAdmin");
        var reseller = await _cloud.TokenAsync("berendt");
        (await SendAsync(HttpMethod.Put, $"/v1/AUTH_{_other}/resellers", reseller)).Should().Be(HttpStatusCode.Created);
        (await SendAsync(HttpMethod.Head, $"/v1/AUTH_{_other}", reseller)).Should().Be(HttpStatusCode.NoContent);
        (await SendAsync(HttpMethod.Post, $"/v1/AUTH_{_other}", admin, null, ("X-Account-Meta-Quota-Bytes", "10"))).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Post, $"/v1/AUTH_{_other}", reseller, null, ("X-Account-Meta-Quota-Bytes", "1000000"))).Should().Be(HttpStatusCode.NoContent,
            "only a reseller admin sets account quotas");
        await _cloud.OpenstackOkAsync("berendt", "role", "remove", "--user", "berendt", "--project", "testing", "ResellerAdmin");
    }

    [Test]
    public async Task A_service_account_needs_the_users_token_and_a_service_token_whose_user_holds_the_service_role()
    {
        var alice = await _cloud.TokenAsync("alice");
        await _cloud.OpenstackOkAsync("berendt", "role", "add", "--user", "alice", "--project", "other", "swiftoperator");
        var operatorToken = await _cloud.TokenAsync("alice");
        var service = await _cloud.Glance.TokenAsync("glance", ServicePassword, "testing");
        var notService = await _cloud.TokenAsync("carol");

        (await SendAsync(HttpMethod.Put, $"/v1/SERVICE_{_other}/images", operatorToken)).Should().Be(HttpStatusCode.Forbidden, "SERVICE_ needs a service token");
        (await SendAsync(HttpMethod.Put, $"/v1/SERVICE_{_other}/images", operatorToken, notService)).Should().Be(HttpStatusCode.Forbidden, "carol holds no service role");
        (await SendAsync(HttpMethod.Put, $"/v1/SERVICE_{_other}/images", operatorToken, "not-a-token")).Should().Be(HttpStatusCode.Unauthorized);
        (await SendAsync(HttpMethod.Put, $"/v1/SERVICE_{_other}/images", service, service)).Should().Be(HttpStatusCode.Forbidden,
            "the service user has no operator role on the project");
        (await SendAsync(HttpMethod.Put, $"/v1/SERVICE_{_other}/images", alice, service)).Should().Be(HttpStatusCode.Forbidden,
            "alice's token before swiftoperator holds no operator role");
        (await SendAsync(HttpMethod.Put, $"/v1/SERVICE_{_other}/images", operatorToken, service)).Should().Be(HttpStatusCode.Created);
        (await SendAsync(HttpMethod.Put, $"/v1/SERVICE_{_other}/images/disk", operatorToken, service)).Should().Be(HttpStatusCode.Created);
        (await SendAsync(HttpMethod.Get, $"/v1/SERVICE_{_other}/images/disk", operatorToken)).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Put, $"/v1/AUTH_{_other}/alices", operatorToken)).Should().Be(HttpStatusCode.Created, "AUTH_ wants no service token");
        await _cloud.OpenstackOkAsync("berendt", "role", "remove", "--user", "alice", "--project", "other", "swiftoperator");
    }

    [Test]
    public async Task Account_and_container_acls_grant_keystone_users_by_project_and_user_ids()
    {
        await _cloud.OpenstackOkAsync("berendt", "role", "add", "--user", "alice", "--project", "other", "swiftoperator");
        var owner = await _cloud.TokenAsync("alice");
        var carol = await _cloud.TokenAsync("carol");
        var third = (await _cloud.OpenstackOkAsync("carol", "token", "issue", "-f", "value", "-c", "project_id")).Trim();
        var carolId = (await _cloud.OpenstackOkAsync("carol", "token", "issue", "-f", "value", "-c", "user_id")).Trim();
        (await SendAsync(HttpMethod.Put, $"/v1/AUTH_{_other}/shared", owner)).Should().Be(HttpStatusCode.Created);
        (await SendAsync(HttpMethod.Put, $"/v1/AUTH_{_other}/shared/note", owner)).Should().Be(HttpStatusCode.Created);
        (await SendAsync(HttpMethod.Get, $"/v1/AUTH_{_other}/shared/note", carol)).Should().Be(HttpStatusCode.Forbidden);

        (await SendAsync(HttpMethod.Post, $"/v1/AUTH_{_other}/shared", owner, null, ("X-Container-Read", $"*:{carolId}"))).Should().Be(HttpStatusCode.NoContent);
        (await SendAsync(HttpMethod.Get, $"/v1/AUTH_{_other}/shared/note", carol)).Should().Be(HttpStatusCode.OK, "*:<user id> matches carol in any project");
        (await SendAsync(HttpMethod.Put, $"/v1/AUTH_{_other}/shared/carols", carol)).Should().Be(HttpStatusCode.Forbidden, "a read ACL grants no write");
        (await SendAsync(HttpMethod.Post, $"/v1/AUTH_{_other}/shared", owner, null, ("X-Container-Write", "third:carol"))).Should().Be(HttpStatusCode.NoContent);
        (await SendAsync(HttpMethod.Put, $"/v1/AUTH_{_other}/shared/by-name", carol)).Should().Be(HttpStatusCode.Created, "names match in the default domain");

        (await SendAsync(HttpMethod.Post, $"/v1/AUTH_{_other}", owner, null, ("X-Account-Access-Control", $"{{\"read-write\": [\"{third}:*\"]}}"))).Should().Be(HttpStatusCode.NoContent);
        (await SendAsync(HttpMethod.Put, $"/v1/AUTH_{_other}/shared/carols", carol)).Should().Be(HttpStatusCode.Created, "the account's read-write grant to <project>:*");
        (await SendAsync(HttpMethod.Get, $"/v1/AUTH_{_other}", carol)).Should().Be(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Post, $"/v1/AUTH_{_other}", carol, null, ("X-Account-Access-Control", "{}"))).Should().Be(HttpStatusCode.Forbidden,
            "read-write does not make carol the owner");

        var dave = await _cloud.Glance.TokenAsync("dave", DavePassword, "other");
        (await SendAsync(HttpMethod.Post, $"/v1/AUTH_{_other}/shared", owner, null, ("X-Container-Read", "member"))).Should().Be(HttpStatusCode.NoContent);
        (await SendAsync(HttpMethod.Get, $"/v1/AUTH_{_other}/shared/note", dave)).Should().Be(HttpStatusCode.OK, "a role named in the ACL grants the project's own members");
        await _cloud.OpenstackOkAsync("berendt", "role", "remove", "--user", "alice", "--project", "other", "swiftoperator");
    }
}
