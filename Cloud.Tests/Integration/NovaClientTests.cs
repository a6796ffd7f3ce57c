using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The OpenStack Compute API v2.1 driven by the real <c>openstack</c> client and raw HTTP against a cloudd running api,
/// scheduler, compute (fake test-double driver) and glance: servers, flavors, key pairs, images, security group rules,
/// versions, isolation and bad input, on SQLite and on MariaDB.
/// </summary>
[TestFixture(false, Category = "Integration")]
[TestFixture(true, Category = "Integration")]
[NonParallelizable]
public sealed class NovaClientTests(bool mariaDb)
{
    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ComputeApiCloud.StartAsync(mariaDb);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private Task<string> OpenstackOkAsync(string user, params string[] args) => _cloud.OpenstackOkAsync(user, args);

    [Test]
    public async Task Openstack_creates_two_servers_lists_shows_and_deletes_them()
    {
        await OpenstackOkAsync("alice", "keypair", "create", "k");
        (await OpenstackOkAsync("alice", "flavor", "list")).Should().Contain("m1.tiny").And.Contain("m1.xlarge");
        (await OpenstackOkAsync("alice", "image", "list")).Should().Contain("ttylinux");

        await OpenstackOkAsync("alice", "server", "create", "--min", "2", "--max", "2", "--flavor", "m1.tiny", "--image", "ttylinux", "--key-name", "k", "vm");
        string list = "";
        await Poller.UntilAsync(async () =>
        {
            list = await OpenstackOkAsync("alice", "server", "list", "-f", "value", "-c", "Name", "-c", "Status");
            return list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith("ACTIVE", StringComparison.Ordinal)) == 2;
        }, TimeSpan.FromSeconds(60), "both servers to be ACTIVE");
        list.Should().Contain("vm-1").And.Contain("vm-2");

        var show = await OpenstackOkAsync("alice", "server", "show", "vm-1", "-f", "value", "-c", "status", "-c", "key_name", "-c", "flavor", "-c", "OS-EXT-STS:vm_state");
        show.Should().Contain("ACTIVE").And.Contain("k").And.Contain("m1.tiny").And.Contain("active");

        await OpenstackOkAsync("alice", "server", "delete", "--wait", "vm-1", "vm-2");
        (await OpenstackOkAsync("alice", "server", "list", "-f", "value", "-c", "Name")).Should().NotContain("vm-1").And.NotContain("vm-2");
    }

    [Test]
    public async Task Openstack_manages_key_pairs_and_security_group_rules()
    {
        var pub = Path.Combine(_cloud.Home, "nova_key.pub");
        var ssh = await ExternalTool.RunAsync(ExternalTool.Require("/usr/bin/ssh-keygen", "openssh-client"),
            ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", Path.Combine(_cloud.Home, "nova_key")], _cloud.Home);
        ssh.ExitCode.Should().Be(0, ssh.ToString());

        (await OpenstackOkAsync("carol", "keypair", "create", "generated")).Should().Contain("PRIVATE KEY");
        await OpenstackOkAsync("carol", "keypair", "create", "--public-key", pub, "imported");
        (await OpenstackOkAsync("carol", "keypair", "list")).Should().Contain("generated").And.Contain("imported");
        (await OpenstackOkAsync("carol", "keypair", "show", "imported")).Should().Contain("imported");
        await OpenstackOkAsync("carol", "keypair", "delete", "generated");
        (await OpenstackOkAsync("carol", "keypair", "list")).Should().NotContain("generated");

        await OpenstackOkAsync("carol", "security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22", "--remote-ip", "0.0.0.0/0", "default");
        await OpenstackOkAsync("carol", "security", "group", "create", "--description", "web servers", "web");
        await OpenstackOkAsync("carol", "security", "group", "rule", "create", "--protocol", "icmp", "web");
        (await OpenstackOkAsync("carol", "security", "group", "show", "default")).Should().Contain("22");
        (await OpenstackOkAsync("carol", "security", "group", "list")).Should().Contain("web").And.Contain("default");
        await OpenstackOkAsync("carol", "security", "group", "delete", "web");
    }

    /// <summary>
    /// The nova client sends <c>type</c>; openstack 6.0.0 drops its <c>--type</c> (openstacksdk 0.101 knows no
    /// <c>key_type</c>), so against the real nova too it makes an ssh pair: shown here as the real stack does.
    /// </summary>
    [Test]
    public async Task Nova_creates_an_x509_key_pair_and_both_clients_show_its_type()
    {
        (await _cloud.NovaCliOkAsync("carol", "--os-compute-api-version", "2.2", "keypair-add", "--key-type", "x509", "winrm")).Should().NotBeNullOrWhiteSpace("the private half is printed once");
        var shown = await _cloud.NovaCliOkAsync("carol", "--os-compute-api-version", "2.2", "keypair-show", "winrm");
        shown.Should().MatchRegex(@"\| type +\| x509 +\|").And.MatchRegex(@"\| fingerprint +\| ([0-9a-f]{2}:){19}[0-9a-f]{2} +\|", "an x509 fingerprint is the certificate's SHA-1");
        (await OpenstackOkAsync("carol", "--os-compute-api-version", "2.2", "keypair", "show", "winrm", "-f", "value", "-c", "type")).Trim().Should().Be("x509");
        (await OpenstackOkAsync("carol", "--os-compute-api-version", "2.2", "keypair", "create", "--type", "x509", "dropped")).Should().Contain("PRIVATE KEY");
        (await OpenstackOkAsync("carol", "--os-compute-api-version", "2.2", "keypair", "list", "-f", "value", "-c", "Name", "-c", "Type")).Should().Contain("winrm x509").And.Contain("dropped ssh");
        await OpenstackOkAsync("carol", "keypair", "delete", "winrm", "dropped");
    }

    [Test]
    public async Task A_server_asked_with_no_networks_has_no_address()
    {
        var admin = await _cloud.TokenAsync("berendt");
        var server = await ActiveServerAsync(admin, new { name = "nonet", imageRef = _cloud.ImageId, flavorRef = "1", networks = "none" }, "2.37");
        server.GetProperty("addresses").EnumerateObject().Should().BeEmpty("networks none asks for no NIC");
        (await _cloud.NovaAsync(admin, HttpMethod.Delete, $"/v2.1/servers/{server.GetProperty("id").GetString()}")).Status.Should().Be(204);
    }

    [Test]
    public async Task A_flavor_with_a_non_numeric_id_shows_that_id_in_the_server()
    {
        var admin = await _cloud.TokenAsync("berendt");
        await OpenstackOkAsync("berendt", "flavor", "create", "--id", "tiny-x", "--ram", "64", "--disk", "1", "--vcpus", "1", "--public", "tiny-x");
        var server = await ActiveServerAsync(admin, new { name = "tinyx", imageRef = _cloud.ImageId, flavorRef = "tiny-x" }, "2.1");
        var id = server.GetProperty("id").GetString();
        server.GetProperty("flavor").GetProperty("id").GetString().Should().Be("tiny-x");
        var latest = ComputeApiCloud.Json((await _cloud.NovaAsync(admin, HttpMethod.Get, $"/v2.1/servers/{id}", version: "2.47")).Body).GetProperty("server");
        latest.GetProperty("flavor").GetProperty("original_name").GetString().Should().Be("tiny-x");
        (await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/servers?flavor=tiny-x")).Body.Should().Contain(id!);
        (await _cloud.NovaAsync(admin, HttpMethod.Delete, $"/v2.1/servers/{id}")).Status.Should().Be(204);
    }

    /// <summary>Creates a server at <paramref name="version"/> and returns its view there once it is ACTIVE.</summary>
    private async Task<System.Text.Json.JsonElement> ActiveServerAsync(string token, object server, string version)
    {
        var created = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", new { server }, version);
        created.Status.Should().Be(202, created.Body);
        var id = ComputeApiCloud.Json(created.Body).GetProperty("server").GetProperty("id").GetString();
        System.Text.Json.JsonElement shown = default;
        await Poller.UntilAsync(async () =>
        {
            shown = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}", version: version)).Body).GetProperty("server");
            return shown.GetProperty("status").GetString() is "ACTIVE" or "ERROR";
        }, TimeSpan.FromSeconds(60), "the server to be ACTIVE");
        shown.GetProperty("status").GetString().Should().Be("ACTIVE", shown.ToString());
        return shown;
    }

    [Test]
    public async Task A_server_no_host_can_take_is_ERROR_with_its_fault_in_both_apis()
    {
        // 40,000 MiB: within the project's RAM quota (51,200), beyond the fake host's 16,384 x 1.5.
        await _cloud.Cloud.ManageAsync("flavor", "create", "m1.giant", "40000", "1", "1", "--flavorid=99");
        var token = await _cloud.TokenAsync("berendt");

        var created = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", new { server = new { name = "giant", imageRef = _cloud.ImageId, flavorRef = "99" } });
        created.Status.Should().Be(202, created.Body);
        var id = ComputeApiCloud.Json(created.Body).GetProperty("server").GetProperty("id").GetString();
        string show = "";
        await Poller.UntilAsync(async () => (show = (await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}")).Body).Contains("\"ERROR\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the server to be ERROR");

        ComputeApiCloud.Json(show).GetProperty("server").GetProperty("fault").GetProperty("message").GetString().Should().Contain("No valid host was found");
        (await _cloud.AwsAsync("berendt", "describe-instances", "--filters", "Name=instance-state-name,Values=error", "--output", "text")).Stdout.Should().Contain("No valid host was found");
        (await _cloud.NovaAsync(token, HttpMethod.Delete, $"/v2.1/servers/{id}")).Status.Should().Be(204);
    }

    [Test]
    public async Task Versions_advertise_2_93_and_refuse_later_microversions_with_406()
    {
        var token = await _cloud.TokenAsync("alice");
        var root = await _cloud.NovaAsync(token, HttpMethod.Get, "/");
        var version = await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1");
        var later = await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/flavors", version: "2.94");
        var latest = await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/flavors", version: "latest");

        root.Status.Should().Be(200);
        ComputeApiCloud.Json(version.Body).GetProperty("version").GetProperty("min_version").GetString().Should().Be("2.1");
        ComputeApiCloud.Json(version.Body).GetProperty("version").GetProperty("version").GetString().Should().Be("2.93");
        later.Status.Should().Be(406);
        latest.Status.Should().Be(200);
    }

    [Test]
    public async Task Servers_are_renamed_get_metadata_actions_and_console_output()
    {
        var token = await _cloud.TokenAsync("carol");
        var created = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers",
            new { server = new { name = "meta", imageRef = _cloud.ImageId, flavorRef = "1", metadata = new { a = "1" } } });
        created.Status.Should().Be(202, created.Body);
        var id = ComputeApiCloud.Json(created.Body).GetProperty("server").GetProperty("id").GetString();
        await Poller.UntilAsync(async () => (await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}")).Body.Contains("\"ACTIVE\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the server to be ACTIVE");

        var renamed = await _cloud.NovaAsync(token, HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { name = "renamed" } });
        var merged = await _cloud.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{id}/metadata", new { metadata = new { b = "2" } });
        var replaced = await _cloud.NovaAsync(token, HttpMethod.Put, $"/v2.1/servers/{id}/metadata", new { metadata = new { c = "3" } });
        var stop = await _cloud.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{id}/action", new Dictionary<string, object?> { ["os-stop"] = null });
        await Poller.UntilAsync(async () => (await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}")).Body.Contains("\"SHUTOFF\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the server to be SHUTOFF");
        var start = await _cloud.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{id}/action", new Dictionary<string, object?> { ["os-start"] = null });
        await Poller.UntilAsync(async () => (await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}")).Body.Contains("\"ACTIVE\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the server to be ACTIVE again");
        var console = await _cloud.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{id}/action", new Dictionary<string, object?> { ["os-getConsoleOutput"] = new { length = 10 } });

        renamed.Body.Should().Contain("\"renamed\"");
        ComputeApiCloud.Json(merged.Body).GetProperty("metadata").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["a", "b"]);
        ComputeApiCloud.Json(replaced.Body).GetProperty("metadata").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["c"]);
        stop.Status.Should().Be(202);
        start.Status.Should().Be(202);
        console.Status.Should().Be(200, console.Body);
        ComputeApiCloud.Json(console.Body).TryGetProperty("output", out _).Should().BeTrue();
        (await _cloud.NovaAsync(token, HttpMethod.Delete, $"/v2.1/servers/{id}")).Status.Should().Be(204);
    }

    [Test]
    public async Task A_project_cannot_see_or_delete_another_projects_servers_key_pairs_or_groups_but_admin_lists_all_tenants()
    {
        var alice = await _cloud.TokenAsync("alice");
        var carol = await _cloud.TokenAsync("carol");
        var admin = await _cloud.TokenAsync("berendt");
        var created = await _cloud.NovaAsync(alice, HttpMethod.Post, "/v2.1/servers", new { server = new { name = "private", imageRef = _cloud.ImageId, flavorRef = "1" } });
        var id = ComputeApiCloud.Json(created.Body).GetProperty("server").GetProperty("id").GetString();
        await _cloud.NovaAsync(alice, HttpMethod.Post, "/v2.1/os-keypairs", new { keypair = new { name = "alice-nova" } });
        var group = await _cloud.NovaAsync(alice, HttpMethod.Post, "/v2.1/os-security-groups", new { security_group = new { name = "alice-nova", description = "x" } });
        var groupId = ComputeApiCloud.Json(group.Body).GetProperty("security_group").GetProperty("id").GetInt64();

        (await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}")).Status.Should().Be(404);
        (await _cloud.NovaAsync(carol, HttpMethod.Delete, $"/v2.1/servers/{id}")).Status.Should().Be(404);
        (await _cloud.NovaAsync(carol, HttpMethod.Post, $"/v2.1/servers/{id}/action", new { reboot = new { type = "HARD" } })).Status.Should().Be(404);
        var everyone = await _cloud.NovaAsync(carol, HttpMethod.Get, "/v2.1/servers/detail?all_tenants=1");
        everyone.Status.Should().Be(403, "nova's policy keeps all_tenants to admins");
        everyone.Body.Should().Contain("os_compute_api:servers:detail:get_all_tenants").And.NotContain(id!);
        (await _cloud.NovaAsync(carol, HttpMethod.Get, "/v2.1/os-keypairs/alice-nova")).Status.Should().Be(404);
        (await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/os-security-groups/{groupId}")).Status.Should().Be(404);
        (await _cloud.NovaAsync(carol, HttpMethod.Delete, $"/v2.1/os-security-groups/{groupId}")).Status.Should().Be(404);
        (await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/servers/detail")).Body.Should().NotContain(id!);
        (await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/servers/detail?all_tenants=1")).Body.Should().Contain(id!);
        (await _cloud.NovaAsync(alice, HttpMethod.Get, $"/v2.1/servers/{id}")).Status.Should().Be(200);
        (await _cloud.NovaAsync(alice, HttpMethod.Get, "/v2.1/servers/private")).Status.Should().Be(404, "a name is looked up by listing");
        (await _cloud.NovaAsync(alice, HttpMethod.Delete, $"/v2.1/servers/{id}")).Status.Should().Be(204);
    }

    [Test]
    public async Task Bad_input_gets_novas_error_shape_and_creates_nothing()
    {
        var token = await _cloud.TokenAsync("carol");
        object Server(string image, string flavor, object? extra = null)
        {
            // nova's schema refuses "key_name": null, so the key is sent only when the case has one.
            var server = new Dictionary<string, object?> { ["name"] = "bad", ["imageRef"] = image, ["flavorRef"] = flavor, ["min_count"] = extra is int n ? n : 1 };
            if (extra is string key)
            {
                server["key_name"] = key;
            }
            return new Dictionary<string, object?> { ["server"] = server };
        }

        var badImage = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", Server("00000000-0000-0000-0000-000000000000", "1"));
        var badFlavor = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", Server(_cloud.ImageId, "999"));
        var badKey = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", Server(_cloud.ImageId, "1", "nokey"));
        var negative = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", Server(_cloud.ImageId, "1", -1));
        var malformed = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", "{not json");
        var overQuota = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", Server(_cloud.ImageId, "1", 500));
        var groups = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/os-security-groups")).Body).GetProperty("security_groups");
        var defaultId = groups.EnumerateArray().First(g => g.GetProperty("name").GetString() == "default").GetProperty("id").GetInt64();
        var badCidr = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-security-group-rules",
            new { security_group_rule = new { parent_group_id = defaultId, ip_protocol = "tcp", from_port = 22, to_port = 22, cidr = "1.2.3.4/40" } });
        var badPorts = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-security-group-rules",
            new { security_group_rule = new { parent_group_id = defaultId, ip_protocol = "tcp", from_port = 100, to_port = 20, cidr = "10.0.0.0/8" } });
        var nonInteger = await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/os-security-groups/default");
        var noToken = await _cloud.NovaAsync("", HttpMethod.Get, "/v2.1/servers");

        foreach (var bad in new[] { badImage, badFlavor, badKey, negative, malformed, badCidr, badPorts, nonInteger })
        {
            bad.Status.Should().Be(400, bad.Body);
            ComputeApiCloud.Json(bad.Body).GetProperty("badRequest").GetProperty("message").GetString().Should().NotBeEmpty();
        }
        overQuota.Status.Should().Be(403, overQuota.Body);
        overQuota.Body.Should().Contain("Quota exceeded");
        noToken.Status.Should().Be(401);
        (await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/flavors/m1.tiny")).Status.Should().Be(404);
        (await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/servers?name=bad")).Body.Should().Be("{\"servers\":[]}", "no refused request leaves a server behind");
    }
}
