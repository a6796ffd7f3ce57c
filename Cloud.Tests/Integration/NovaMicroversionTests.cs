using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Compute microversions 2.1..2.93 as nova's API samples show them, driven by raw HTTP and the real clients
/// (<c>openstack --os-compute-api-version 2.latest</c>, <c>nova</c>, openstacksdk): the create, show and update shapes per
/// version, server tags, list filters and paging, validation with nova's messages, key pairs, limits and the proxy APIs'
/// 404 from 2.36;.
/// Runs once, on SQLite with the in-process bus (the all-in-one's defaults): its SQL is dialect-neutral (the dialect-specific
/// migrations run on both in MigrationUpgradeContractTests) and the MariaDB path of the Compute API runs in NovaClientTests;
/// a second run on MariaDB would add minutes of client start-ups to CI and nothing it could find.
/// </summary>
[TestFixture(false, Category = "Integration")]
[NonParallelizable]
public sealed class NovaMicroversionTests(bool mariaDb)
{
    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ComputeApiCloud.StartAsync(mariaDb);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private static IEnumerable<string> Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name);

    /// <summary>The message of nova's error body (<c>{"badRequest": {"code": 400, "message": ...}}</c>).</summary>
    private static string Message(string body) => ComputeApiCloud.Json(body).EnumerateObject().First().Value.GetProperty("message").GetString()!;

    private async Task<string> CreateAsync(string token, object server, string? version = null)
    {
        var created = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", new { server }, version);
        created.Status.Should().Be(202, created.Body);
        return ComputeApiCloud.Json(created.Body).GetProperty("server").GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> ActiveAsync(string token, string id, string? version = null)
    {
        JsonElement server = default;
        await Poller.UntilAsync(async () =>
        {
            server = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}", version: version)).Body).GetProperty("server");
            return server.GetProperty("status").GetString() == "ACTIVE";
        }, TimeSpan.FromSeconds(60), "the server to be ACTIVE");
        return server;
    }

    [Test]
    public async Task Create_show_and_update_answer_each_microversions_shape()
    {
        var token = await _cloud.TokenAsync("carol");
        var created = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers",
            new { server = new { name = "shapes", imageRef = _cloud.ImageId, flavorRef = "1", accessIPv4 = "192.0.2.7", accessIPv6 = "2001:db8::7" } });
        created.Status.Should().Be(202, created.Body);
        var answer = ComputeApiCloud.Json(created.Body).GetProperty("server");
        Keys(answer).Should().BeEquivalentTo(["id", "links", "OS-DCF:diskConfig", "security_groups", "adminPass"]);
        answer.GetProperty("adminPass").GetString().Should().HaveLength(12);
        var id = answer.GetProperty("id").GetString()!;

        var at21 = await ActiveAsync(token, id);
        at21.GetProperty("accessIPv4").GetString().Should().Be("192.0.2.7");
        at21.GetProperty("accessIPv6").GetString().Should().Be("2001:db8::7");
        Keys(at21).Should().NotContain(["locked", "description", "tags", "host_status", "OS-EXT-SRV-ATTR:hostname"]);
        at21.GetProperty("flavor").GetProperty("id").GetString().Should().Be("1");

        var latest = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}", version: "latest")).Body).GetProperty("server");
        latest.GetProperty("locked").GetBoolean().Should().BeFalse();
        latest.GetProperty("locked_reason").ValueKind.Should().Be(JsonValueKind.Null);
        latest.GetProperty("description").ValueKind.Should().Be(JsonValueKind.Null);
        latest.GetProperty("tags").GetArrayLength().Should().Be(0);
        latest.GetProperty("trusted_image_certificates").ValueKind.Should().Be(JsonValueKind.Null);
        latest.GetProperty("server_groups").GetArrayLength().Should().Be(0);
        latest.GetProperty("OS-EXT-SRV-ATTR:hostname").GetString().Should().Be("shapes");
        Keys(latest.GetProperty("flavor")).Should().BeEquivalentTo(["vcpus", "ram", "disk", "ephemeral", "swap", "original_name", "extra_specs"]);
        latest.GetProperty("flavor").GetProperty("original_name").GetString().Should().Be("m1.tiny");

        var renamed = await _cloud.NovaAsync(token, HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { name = "renamed", accessIPv4 = "192.0.2.8" } });
        renamed.Status.Should().Be(200, renamed.Body);
        Keys(ComputeApiCloud.Json(renamed.Body).GetProperty("server")).Should().BeEquivalentTo(
            ["id", "name", "status", "tenant_id", "user_id", "metadata", "hostId", "image", "flavor", "created", "updated", "addresses", "accessIPv4",
             "accessIPv6", "links", "OS-DCF:diskConfig", "progress"]);
        var described = await _cloud.NovaAsync(token, HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { description = "the web tier" } }, "2.75");
        described.Status.Should().Be(200, described.Body);
        var full = ComputeApiCloud.Json(described.Body).GetProperty("server");
        full.GetProperty("description").GetString().Should().Be("the web tier");
        full.GetProperty("accessIPv4").GetString().Should().Be("192.0.2.8");
        Keys(full).Should().Contain(["OS-EXT-STS:vm_state", "key_name", "security_groups", "OS-EXT-AZ:availability_zone", "server_groups"]);
        Message((await _cloud.NovaAsync(token, HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { description = "x" } })).Body)
            .Should().EndWith("Additional properties are not allowed ('description' was unexpected)", "description arrived in 2.19");
        (await _cloud.NovaAsync(token, HttpMethod.Delete, $"/v2.1/servers/{id}")).Status.Should().Be(204);
    }

    [Test]
    public async Task Create_refuses_what_nova_refuses_with_novas_messages()
    {
        var token = await _cloud.TokenAsync("carol");
        async Task<string> RefusedAsync(object server, string? version = null, int status = 400)
        {
            var answer = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", new { server }, version);
            answer.Status.Should().Be(status, answer.Body);
            return Message(answer.Body);
        }

        (await RefusedAsync(new { name = "", imageRef = _cloud.ImageId, flavorRef = "1" })).Should().Be("Invalid input for field/attribute name. Value: . '' is too short");
        (await RefusedAsync(new { name = new string('n', 256), imageRef = _cloud.ImageId, flavorRef = "1" })).Should().EndWith("is too long");
        (await RefusedAsync(new { name = " padded", imageRef = _cloud.ImageId, flavorRef = "1" })).Should()
            .Be("An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.");
        (await RefusedAsync(new { name = "ip", imageRef = _cloud.ImageId, flavorRef = "1", accessIPv4 = "1.2.3" })).Should()
            .Be("Invalid input for field/attribute accessIPv4. Value: 1.2.3. '1.2.3' is not a 'ipv4'");
        (await RefusedAsync(new { name = "meta", imageRef = _cloud.ImageId, flavorRef = "1", metadata = new Dictionary<string, string> { ["k"] = new string('v', 256) } }))
            .Should().StartWith("Invalid input for field/attribute metadata/k. Value: vvv").And.EndWith("is too long");
        (await RefusedAsync(new { name = "net", imageRef = _cloud.ImageId, flavorRef = "1", networks = new[] { new { uuid = "5e2a4a3c-0b1e-4a7e-9b83-1d2a6c8f0a11" } } }))
            .Should().Be("Network 5e2a4a3c-0b1e-4a7e-9b83-1d2a6c8f0a11 could not be found.");
        (await RefusedAsync(new { name = "nonet", imageRef = _cloud.ImageId, flavorRef = "1" }, "2.37")).Should()
            .StartWith("Invalid input for field/attribute server. Value: {'name': 'nonet', ").And.EndWith(". 'networks' is a required property");
        (await RefusedAsync(new { name = "old", imageRef = _cloud.ImageId, flavorRef = "1", personality = Array.Empty<object>(), networks = "none" }, "2.57"))
            .Should().EndWith("Additional properties are not allowed ('personality' was unexpected)");
        (await RefusedAsync(new { name = "key", imageRef = _cloud.ImageId, flavorRef = "1", key_name = "missing" })).Should().Be("Invalid key_name provided.");
        (await RefusedAsync(new { name = "counts", imageRef = _cloud.ImageId, flavorRef = "1", min_count = 3, max_count = 2 })).Should().Be("min_count must be <= max_count");

        var admin = await _cloud.TokenAsync("berendt");
        var big = await _cloud.Glance.CreateAsync(admin, new { name = "needs-ram", container_format = "bare", disk_format = "raw", visibility = "public", min_ram = 4096 });
        await _cloud.Glance.UploadAsync(admin, big, [1, 2, 3]);
        (await RefusedAsync(new { name = "small", imageRef = big, flavorRef = "1" })).Should().Be("Flavor's memory is too small for requested image.");
        (await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/servers")).Body.Should().Be("{\"servers\":[]}", "no refused request leaves a server behind");
    }

    [Test]
    public async Task Openstack_client_at_2_latest_tags_describes_and_filters_servers()
    {
        async Task<string> OkAsync(params string[] args)
        {
            var run = await _cloud.OpenstackAsync("alice", ["--os-compute-api-version", "2.latest", .. args]);
            run.ExitCode.Should().Be(0, $"openstack {string.Join(' ', args)}: {run}");
            return run.Stdout;
        }

        await OkAsync("server", "create", "--flavor", "m1.tiny", "--image", "ttylinux", "--tag", "web", "--description", "first", "--wait", "tagged");
        await OkAsync("server", "create", "--flavor", "m1.tiny", "--image", "ttylinux", "--nic", "none", "--wait", "plain");
        (await OkAsync("server", "list", "--tags", "web", "-f", "value", "-c", "Name")).Trim().Should().Be("tagged");
        var show = ComputeApiCloud.Json(await OkAsync("server", "show", "tagged", "-f", "json"));
        show.GetProperty("description").GetString().Should().Be("first");
        show.GetProperty("tags").ToString().Should().Contain("web");

        await OkAsync("server", "set", "--description", "second", "--tag", "db", "tagged");
        await OkAsync("server", "unset", "--tag", "web", "tagged");
        var after = ComputeApiCloud.Json(await OkAsync("server", "show", "tagged", "-f", "json"));
        after.GetProperty("description").GetString().Should().Be("second");
        after.GetProperty("tags").ToString().Should().Contain("db").And.NotContain("web");
        (await OkAsync("server", "list", "--tags", "web", "-f", "value", "-c", "Name")).Trim().Should().BeEmpty();
        (await OkAsync("server", "list", "--name", "^pla", "-f", "value", "-c", "Name")).Trim().Should().Be("plain");
        await OkAsync("server", "delete", "--wait", "tagged", "plain");
    }

    [Test]
    public async Task Nova_client_and_openstacksdk_use_tags_and_follow_the_servers_next_links()
    {
        var token = await _cloud.TokenAsync("berendt");
        var first = await CreateAsync(token, new { name = "page-1", imageRef = _cloud.ImageId, flavorRef = "1", networks = "auto", tags = new[] { "t1" } }, "2.52");
        var second = await CreateAsync(token, new { name = "page-2", imageRef = _cloud.ImageId, flavorRef = "1" });
        await ActiveAsync(token, first);
        await ActiveAsync(token, second);

        var add = await _cloud.NovaCliAsync("berendt", "--os-compute-api-version", "2.latest", "server-tag-add", second, "t2");
        add.ExitCode.Should().Be(0, add.ToString());
        var tags = await _cloud.NovaCliAsync("berendt", "--os-compute-api-version", "2.latest", "server-tag-list", second);
        tags.ExitCode.Should().Be(0, tags.ToString());
        tags.Stdout.Should().Contain("t2");
        var listed = await _cloud.NovaCliAsync("berendt", "--os-compute-api-version", "2.latest", "list", "--tags-any", "t1,t2", "--limit", "1");
        listed.ExitCode.Should().Be(0, listed.ToString());

        var paged = await _cloud.OpenstackSdkAsync("berendt", """
            names = sorted(s.name for s in conn.compute.servers(paginated=True, limit=1) if s.name.startswith('page-'))
            print(','.join(names))
            """);
        paged.ExitCode.Should().Be(0, paged.ToString());
        paged.Stdout.Trim().Should().Be("page-1,page-2");

        var page = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/servers?limit=1&name=page-")).Body);
        var next = page.GetProperty("servers_links")[0].GetProperty("href").GetString()!;
        next.Should().Contain("limit=1").And.Contain("marker=" + page.GetProperty("servers")[0].GetProperty("id").GetString());
        (await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/servers?tags=t1", version: "2.26")).Body.Should().Contain(first).And.NotContain(second);
        (await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/servers?not-tags=t1&name=page-", version: "2.26")).Body.Should().Contain(second).And.NotContain(first);
        var sorted = (await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/servers?sort_key=display_name&sort_dir=asc&name=page-")).Body;
        sorted.IndexOf(first, StringComparison.Ordinal).Should().BeLessThan(sorted.IndexOf(second, StringComparison.Ordinal));
        (await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/servers?status=BOGUS", version: "2.38")).Status.Should().Be(400);
        (await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{first}/tags")).Status.Should().Be(404, "tags arrived in 2.26");
        foreach (var id in new[] { first, second })
        {
            (await _cloud.NovaAsync(token, HttpMethod.Delete, $"/v2.1/servers/{id}")).Status.Should().Be(204);
        }
    }

    [Test]
    public async Task Key_pairs_limits_versions_and_proxy_apis_follow_the_microversion()
    {
        var token = await _cloud.TokenAsync("carol");
        var created21 = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-keypairs", new { keypair = new { name = "mv-old" } });
        created21.Status.Should().Be(200, created21.Body);
        Keys(ComputeApiCloud.Json(created21.Body).GetProperty("keypair")).Should().BeEquivalentTo(["name", "public_key", "fingerprint", "user_id", "private_key"]);
        var created22 = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-keypairs", new { keypair = new { name = "mv-new", type = "ssh" } }, "2.2");
        created22.Status.Should().Be(201, created22.Body);
        var generated = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-keypairs", new { keypair = new { name = "mv-gen" } }, "2.92");
        Message(generated.Body).Should().EndWith("'public_key' is a required property");

        var list21 = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/os-keypairs")).Body);
        Keys(list21.GetProperty("keypairs")[0].GetProperty("keypair")).Should().BeEquivalentTo(["name", "public_key", "fingerprint"]);
        var page = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/os-keypairs?limit=1", version: "2.35")).Body);
        page.GetProperty("keypairs").GetArrayLength().Should().Be(1);
        Keys(page.GetProperty("keypairs")[0].GetProperty("keypair")).Should().Contain("type");
        page.GetProperty("keypairs_links")[0].GetProperty("href").GetString().Should().Contain("marker=mv-new");
        (await _cloud.NovaAsync(token, HttpMethod.Delete, "/v2.1/os-keypairs/mv-new", version: "2.2")).Status.Should().Be(204);
        (await _cloud.NovaAsync(token, HttpMethod.Delete, "/v2.1/os-keypairs/mv-old")).Status.Should().Be(202);

        var limits21 = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/limits")).Body).GetProperty("limits").GetProperty("absolute");
        var limits57 = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/limits", version: "2.57")).Body).GetProperty("limits").GetProperty("absolute");
        Keys(limits21).Should().Contain(["maxTotalFloatingIps", "maxImageMeta", "maxPersonality"]);
        Keys(limits57).Should().BeEquivalentTo(["maxServerMeta", "maxTotalCores", "maxTotalInstances", "maxTotalKeypairs", "maxTotalRAMSize", "maxServerGroups",
            "maxServerGroupMembers", "totalCoresUsed", "totalInstancesUsed", "totalRAMUsed", "totalServerGroupsUsed"]);

        (await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/os-security-groups", version: "2.35")).Status.Should().Be(200);
        foreach (var path in new[] { "/v2.1/os-security-groups", "/v2.1/images", "/v2.1/os-floating-ips", "/v2.1/os-volumes", "/v2.1/os-networks" })
        {
            var gone = await _cloud.NovaAsync(token, HttpMethod.Get, path, version: "2.36");
            gone.Status.Should().Be(404, path);
            gone.Body.Should().Contain("The resource could not be found.");
        }

        var version = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1")).Body).GetProperty("version");
        version.GetProperty("version").GetString().Should().Be("2.93");
        (await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/flavors", version: "2.94")).Status.Should().Be(406);
    }
}
