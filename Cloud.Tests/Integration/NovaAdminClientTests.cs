using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The Compute admin APIs driven by the real <c>openstack</c> and <c>nova</c> clients (and raw HTTP for the error
/// messages) against a cloudd running api, scheduler, compute (fake test-double driver) and glance: flavors with access
/// lists and extra specs, quota sets and quota classes, services, hypervisors, availability zones, security group
/// updates and usage.
/// Runs once, on MariaDB and RabbitMQ (a real operator's set-up): its SQL is dialect-neutral (the dialect-specific
/// migrations run on both in MigrationUpgradeContractTests) and the SQLite path of the Compute API runs in NovaClientTests;
/// a second run on SQLite would add minutes of client start-ups to CI and nothing it could find.
/// </summary>
[TestFixture(true, Category = "Integration")]
[NonParallelizable]
public sealed class NovaAdminClientTests(bool mariaDb)
{
    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ComputeApiCloud.StartAsync(mariaDb);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private Task<string> OpenstackOkAsync(string user, params string[] args) => _cloud.OpenstackOkAsync(user, args);

    /// <summary>The message of a nova error body (<c>{"badRequest": {"message": ...}}</c>).</summary>
    private static string Message((int Status, string Body) answer) =>
        ComputeApiCloud.Json(answer.Body).EnumerateObject().First().Value.GetProperty("message").GetString()!;

    private Task<string> NovaOkAsync(string user, params string[] args) => _cloud.NovaCliOkAsync(user, args);

    private async Task<string> ProjectIdAsync(string user) => (await OpenstackOkAsync(user, "token", "issue", "-f", "value", "-c", "project_id")).Trim();

    [Test]
    public async Task Openstack_creates_a_private_flavor_shares_it_sets_its_properties_and_deletes_it()
    {
        var third = await ProjectIdAsync("carol");
        var created = await OpenstackOkAsync("berendt", "--os-compute-api-version", "2.61", "flavor", "create", "--id", "gold-1", "--ram", "256", "--disk", "1",
            "--vcpus", "1", "--swap", "64", "--ephemeral", "2", "--private", "--description", "for carol", "--property", "hw:cpu_policy=dedicated", "gold");
        created.Should().Contain("gold-1").And.Contain("for carol").And.Contain("hw:cpu_policy='dedicated'");
        (await OpenstackOkAsync("carol", "flavor", "list", "-f", "value", "-c", "Name")).Should().NotContain("gold");
        (await _cloud.OpenstackAsync("carol", "flavor", "show", "gold-1")).ExitCode.Should().NotBe(0);

        // openstack resolves a project through keystone's project API (ksadmin's area); nova's client passes the id as is.
        await NovaOkAsync("berendt", "flavor-access-add", "gold-1", third);
        (await NovaOkAsync("berendt", "flavor-access-list", "--flavor", "gold-1")).Should().Contain(third);
        (await OpenstackOkAsync("carol", "flavor", "list", "-f", "value", "-c", "Name")).Should().Contain("gold");
        (await OpenstackOkAsync("berendt", "flavor", "show", "gold", "-f", "value", "-c", "access_project_ids")).Should().Contain(third);
        (await OpenstackOkAsync("berendt", "flavor", "list", "--private", "-f", "value", "-c", "Name")).Should().Contain("gold").And.NotContain("m1.tiny");
        (await OpenstackOkAsync("alice", "flavor", "list", "--min-ram", "4096", "-f", "value", "-c", "Name")).Should().Contain("m1.medium").And.NotContain("m1.small");

        await OpenstackOkAsync("berendt", "flavor", "set", "--property", "hw:numa_nodes=1", "gold");
        await OpenstackOkAsync("berendt", "flavor", "unset", "--property", "hw:cpu_policy", "gold");
        var bogus = await _cloud.OpenstackAsync("berendt", "--os-compute-api-version", "2.86", "flavor", "set", "--property", "hw:cpu_policy=bogus", "gold");
        bogus.ExitCode.Should().NotBe(0);
        bogus.Stderr.Should().Contain("Validation failed; 'bogus' is not one of: dedicated, shared, mixed.");
        await OpenstackOkAsync("berendt", "--os-compute-api-version", "2.55", "flavor", "set", "--description", "renamed", "gold");
        var show = await OpenstackOkAsync("berendt", "--os-compute-api-version", "2.61", "flavor", "show", "gold", "-f", "json");
        show.Should().Contain("renamed").And.Contain("hw:numa_nodes").And.NotContain("hw:cpu_policy");

        await NovaOkAsync("berendt", "flavor-access-remove", "gold-1", third);
        (await OpenstackOkAsync("carol", "flavor", "list", "-f", "value", "-c", "Name")).Should().NotContain("gold");
        await OpenstackOkAsync("berendt", "flavor", "delete", "gold");
        (await OpenstackOkAsync("berendt", "flavor", "list", "--all", "-f", "value", "-c", "Name")).Should().NotContain("gold");
    }

    [Test]
    public async Task Flavor_create_is_validated_as_nova_does_and_is_admin_only()
    {
        var admin = await _cloud.TokenAsync("berendt");
        var carol = await _cloud.TokenAsync("carol");
        var zeroRam = await _cloud.NovaAsync(admin, HttpMethod.Post, "/v2.1/flavors", new { flavor = new { name = "bad", ram = 0, vcpus = 1, disk = 0 } });
        zeroRam.Status.Should().Be(400);
        Message(zeroRam).Should().Be("Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1");
        Message(await _cloud.NovaAsync(admin, HttpMethod.Post, "/v2.1/flavors", new { flavor = new { name = "bad", ram = 1, vcpus = 1 } })).Should().EndWith("'disk' is a required property");
        var duplicate = await _cloud.NovaAsync(admin, HttpMethod.Post, "/v2.1/flavors", new { flavor = new { name = "m1.tiny", ram = 1, vcpus = 1, disk = 0 } });
        duplicate.Status.Should().Be(409);
        Message(duplicate).Should().Be("Flavor with name m1.tiny already exists.");
        (await _cloud.NovaAsync(carol, HttpMethod.Post, "/v2.1/flavors", new { flavor = new { name = "mine", ram = 1, vcpus = 1, disk = 0 } })).Status.Should().Be(403);

        var auto = await OpenstackOkAsync("berendt", "flavor", "create", "--ram", "64", "--vcpus", "1", "auto-id", "-f", "value", "-c", "id");
        Guid.TryParse(auto.Trim(), out _).Should().BeTrue(auto);
        var paged = ComputeApiCloud.Json((await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/flavors?limit=2&marker=1&minRam=512")).Body);
        paged.GetProperty("flavors").GetArrayLength().Should().Be(2);
        paged.GetProperty("flavors_links")[0].GetProperty("href").GetString().Should().Contain("marker=3");
        Message(await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/flavors?marker=nope")).Should().Be("marker [nope] not found");
        (await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/flavors/1", version: "2.75")).Body.Should().Contain("\"swap\":0");
        (await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/flavors/1")).Body.Should().Contain("\"swap\":\"\"");
        await OpenstackOkAsync("berendt", "flavor", "delete", auto.Trim());
    }

    [Test]
    public async Task Openstack_sets_and_shows_quotas_and_nova_updates_the_default_class()
    {
        var third = await ProjectIdAsync("carol");
        await NovaOkAsync("berendt", "quota-update", "--instances", "7", "--cores", "9", "--key-pairs", "11", third);
        var shown = await NovaOkAsync("carol", "quota-show", "--tenant", third);
        shown.Should().MatchRegex(@"\|\s*instances\s*\|\s*7\s*\|").And.MatchRegex(@"\|\s*cores\s*\|\s*9\s*\|").And.MatchRegex(@"\|\s*key_pairs\s*\|\s*11\s*\|");
        (await _cloud.NovaCliAsync("carol", "quota-update", "--instances", "70", third)).ExitCode.Should().NotBe(0, "only an admin sets quotas");
        (await OpenstackOkAsync("carol", "quota", "show", "-f", "json")).Should().Contain("\"instances\": 7");

        var update = await _cloud.NovaCliAsync("berendt", "quota-class-update", "default", "--instances", "42", "--ram", "1024");
        update.ExitCode.Should().Be(0, update.ToString());
        (await _cloud.NovaCliAsync("berendt", "quota-class-show", "default")).Stdout.Should().Contain("42");
        var admin = await _cloud.TokenAsync("berendt");
        var other = await ProjectIdAsync("alice");
        try
        {
            var defaults = ComputeApiCloud.Json((await _cloud.NovaAsync(admin, HttpMethod.Get, $"/v2.1/os-quota-sets/{third}/defaults")).Body).GetProperty("quota_set");
            defaults.GetProperty("instances").GetInt64().Should().Be(42);
            var alices = ComputeApiCloud.Json((await _cloud.NovaAsync(admin, HttpMethod.Get, $"/v2.1/os-quota-sets/{other}", version: "2.57")).Body).GetProperty("quota_set");
            alices.GetProperty("instances").GetInt64().Should().Be(42, "a project without its own value follows the default class");
            alices.TryGetProperty("injected_files", out _).Should().BeFalse("2.57 drops the injected file quotas");
            alices.TryGetProperty("floating_ips", out _).Should().BeFalse("2.36 drops the network quotas");
            ComputeApiCloud.Json((await _cloud.NovaAsync(admin, HttpMethod.Get, $"/v2.1/os-quota-sets/{third}")).Body)
                .GetProperty("quota_set").GetProperty("instances").GetInt64().Should().Be(7, "the project's own value wins");
        }
        finally
        {
            (await _cloud.NovaCliAsync("berendt", "quota-class-update", "default", "--instances", "10", "--ram", "51200")).ExitCode.Should().Be(0);
        }

        (await _cloud.NovaAsync(admin, HttpMethod.Delete, $"/v2.1/os-quota-sets/{third}")).Status.Should().Be(202);
        ComputeApiCloud.Json((await _cloud.NovaAsync(admin, HttpMethod.Get, $"/v2.1/os-quota-sets/{third}")).Body)
            .GetProperty("quota_set").GetProperty("instances").GetInt64().Should().Be(10, "delete reverts to the defaults");
    }

    [Test]
    public async Task A_quota_below_what_the_project_uses_is_refused_unless_forced_and_detail_shows_the_use()
    {
        var carol = await _cloud.TokenAsync("carol");
        var admin = await _cloud.TokenAsync("berendt");
        var third = await ProjectIdAsync("carol");
        var created = await _cloud.NovaAsync(carol, HttpMethod.Post, "/v2.1/servers", new { server = new { name = "counted", imageRef = _cloud.ImageId, flavorRef = "1" } });
        created.Status.Should().Be(202, created.Body);
        var id = ComputeApiCloud.Json(created.Body).GetProperty("server").GetProperty("id").GetString();
        try
        {
            var detail = ComputeApiCloud.Json((await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/os-quota-sets/{third}/detail")).Body).GetProperty("quota_set");
            detail.GetProperty("instances").GetProperty("in_use").GetInt64().Should().Be(1);
            detail.GetProperty("ram").GetProperty("in_use").GetInt64().Should().Be(512);
            detail.GetProperty("cores").GetProperty("reserved").GetInt64().Should().Be(0);

            var below = await _cloud.NovaAsync(admin, HttpMethod.Put, $"/v2.1/os-quota-sets/{third}", new { quota_set = new { instances = 0 } });
            below.Status.Should().Be(400);
            Message(below).Should().Be("Quota limit 0 for instances must be greater than or equal to already used and reserved 1.");
            Message(await _cloud.NovaAsync(admin, HttpMethod.Put, $"/v2.1/os-quota-sets/{third}", new { quota_set = new { bogus = 1 } }))
                .Should().EndWith("Additional properties are not allowed ('bogus' was unexpected)");
            Message(await _cloud.NovaAsync(admin, HttpMethod.Put, $"/v2.1/os-quota-sets/{third}", new { quota_set = new { cores = -2 } }))
                .Should().Be("Invalid input for field/attribute cores. Value: -2. -2 is less than the minimum of -1");
            var forced = await _cloud.NovaAsync(admin, HttpMethod.Put, $"/v2.1/os-quota-sets/{third}", new { quota_set = new { instances = 0, force = true } });
            forced.Status.Should().Be(200, forced.Body);
            ComputeApiCloud.Json(forced.Body).GetProperty("quota_set").TryGetProperty("id", out _).Should().BeFalse("nova's update answer has no id");
            (await _cloud.NovaAsync(carol, HttpMethod.Put, $"/v2.1/os-quota-sets/{third}", new { quota_set = new { instances = 50 } })).Status.Should().Be(403);
        }
        finally
        {
            await _cloud.NovaAsync(admin, HttpMethod.Delete, $"/v2.1/os-quota-sets/{third}");
            await _cloud.NovaAsync(carol, HttpMethod.Delete, $"/v2.1/servers/{id}");
        }
    }

    [Test]
    public async Task Openstack_disables_a_compute_service_the_scheduler_then_skips_and_lists_hypervisors_and_zones()
    {
        (await OpenstackOkAsync("berendt", "compute", "service", "list", "-f", "value", "-c", "Binary", "-c", "Host", "-c", "State"))
            .Should().Contain("nova-compute fakehost up").And.Contain("nova-scheduler");
        await OpenstackOkAsync("berendt", "compute", "service", "set", "--disable", "--disable-reason", "maintenance", "fakehost", "nova-compute");
        try
        {
            var listed = await OpenstackOkAsync("berendt", "--os-compute-api-version", "2.53", "compute", "service", "list", "--long", "-f", "json");
            listed.Should().Contain("maintenance").And.Contain("disabled");
            var carol = await _cloud.TokenAsync("carol");
            var created = await _cloud.NovaAsync(carol, HttpMethod.Post, "/v2.1/servers", new { server = new { name = "nowhere", imageRef = _cloud.ImageId, flavorRef = "1" } });
            var id = ComputeApiCloud.Json(created.Body).GetProperty("server").GetProperty("id").GetString();
            string show = "";
            await Poller.UntilAsync(async () => (show = (await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}")).Body).Contains("\"ERROR\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "the server to fail scheduling on the only, disabled, host");
            await _cloud.NovaAsync(carol, HttpMethod.Delete, $"/v2.1/servers/{id}");
        }
        finally
        {
            await OpenstackOkAsync("berendt", "compute", "service", "set", "--enable", "fakehost", "nova-compute");
        }
        (await OpenstackOkAsync("berendt", "compute", "service", "list", "-f", "value", "-c", "Binary", "-c", "Status")).Should().Contain("nova-compute enabled");
        var forced = await OpenstackOkAsync("berendt", "--os-compute-api-version", "2.11", "compute", "service", "set", "--down", "fakehost", "nova-compute");
        (await OpenstackOkAsync("berendt", "compute", "service", "list", "-f", "value", "-c", "Binary", "-c", "State")).Should().Contain("nova-compute down", forced);
        await OpenstackOkAsync("berendt", "--os-compute-api-version", "2.11", "compute", "service", "set", "--up", "fakehost", "nova-compute");

        (await OpenstackOkAsync("berendt", "hypervisor", "list", "-f", "value", "-c", "Hypervisor Hostname", "-c", "State")).Should().Contain("fakehost up");
        (await OpenstackOkAsync("berendt", "hypervisor", "show", "fakehost", "-f", "json")).Should().Contain("\"hypervisor_type\"").And.Contain("vcpus");
        (await OpenstackOkAsync("berendt", "hypervisor", "stats", "show", "-f", "json")).Should().Contain("\"count\": 1");
        (await OpenstackOkAsync("berendt", "--os-compute-api-version", "2.88", "hypervisor", "show", "fakehost", "-f", "json")).Should().Contain("fakehost").And.NotContain("vcpus_used");
        (await _cloud.OpenstackAsync("carol", "hypervisor", "list")).ExitCode.Should().NotBe(0, "hypervisors are for admins");
        var zones = await OpenstackOkAsync("berendt", "availability", "zone", "list", "--compute", "--long", "-f", "value");
        zones.Should().Contain("nova available").And.Contain("fakehost nova-compute enabled").And.Contain("internal");
    }

    [Test]
    public async Task Security_groups_are_renamed_and_a_duplicate_rule_is_a_400()
    {
        var carol = await _cloud.TokenAsync("carol");
        var group = ComputeApiCloud.Json((await _cloud.NovaAsync(carol, HttpMethod.Post, "/v2.1/os-security-groups", new { security_group = new { name = "before", description = "x" } })).Body)
            .GetProperty("security_group").GetProperty("id").GetInt64();
        var renamed = await _cloud.NovaAsync(carol, HttpMethod.Put, $"/v2.1/os-security-groups/{group}", new { security_group = new { name = "after", description = "renamed" } });
        renamed.Status.Should().Be(200, renamed.Body);
        (await OpenstackOkAsync("carol", "security", "group", "list", "-f", "value", "-c", "Name", "-c", "Description")).Should().Contain("after renamed").And.NotContain("before");
        Message(await _cloud.NovaAsync(carol, HttpMethod.Put, $"/v2.1/os-security-groups/{group}", new { security_group = new { name = "", description = "y" } }))
            .Should().Be("Security group name should not be empty.");
        var rule = new { security_group_rule = new { parent_group_id = group, ip_protocol = "tcp", from_port = 80, to_port = 80, cidr = "0.0.0.0/0" } };
        (await _cloud.NovaAsync(carol, HttpMethod.Post, "/v2.1/os-security-group-rules", rule)).Status.Should().Be(200);
        var duplicate = await _cloud.NovaAsync(carol, HttpMethod.Post, "/v2.1/os-security-group-rules", rule);
        duplicate.Status.Should().Be(400);
        Message(duplicate).Should().Be($"This rule already exists in group {group}");
        (await _cloud.NovaAsync(await _cloud.TokenAsync("alice"), HttpMethod.Put, $"/v2.1/os-security-groups/{group}", new { security_group = new { name = "stolen", description = "z" } }))
            .Status.Should().Be(404);
        await OpenstackOkAsync("carol", "security", "group", "delete", "after");
    }

    [Test]
    public async Task Openstack_shows_usage_of_a_project_and_lists_it_for_the_admin()
    {
        var carol = await _cloud.TokenAsync("carol");
        var third = await ProjectIdAsync("carol");
        var created = await _cloud.NovaAsync(carol, HttpMethod.Post, "/v2.1/servers", new { server = new { name = "billed", imageRef = _cloud.ImageId, flavorRef = "1" } });
        var id = ComputeApiCloud.Json(created.Body).GetProperty("server").GetProperty("id").GetString();
        try
        {
            await Poller.UntilAsync(async () => (await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}")).Body.Contains("\"ACTIVE\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "the server to be ACTIVE");
            var start = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            (await OpenstackOkAsync("carol", "usage", "show", "--start", start, "-f", "json")).Should().Contain(id).And.Contain("billed");
            (await OpenstackOkAsync("berendt", "usage", "list", "--start", start, "-f", "value")).Should().Contain(third);
            var usage = ComputeApiCloud.Json((await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/os-simple-tenant-usage/{third}?start={start}T00:00:00", version: "2.40")).Body)
                .GetProperty("tenant_usage");
            // The period also bills the project's servers of the fixture's other tests, deleted or not.
            var billed = usage.GetProperty("server_usages").EnumerateArray().Where(u => u.GetProperty("instance_id").GetString() == id).ToList();
            billed.Should().ContainSingle();
            billed[0].GetProperty("flavor").GetString().Should().Be("m1.tiny");
            Message(await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/os-simple-tenant-usage/{third}?start=2030-01-01T00:00:00&end=2029-01-01T00:00:00"))
                .Should().Be("Invalid start time. The start time cannot occur after the end time.");
            (await _cloud.NovaAsync(carol, HttpMethod.Get, "/v2.1/os-simple-tenant-usage")).Status.Should().Be(403);
        }
        finally
        {
            await _cloud.NovaAsync(carol, HttpMethod.Delete, $"/v2.1/servers/{id}");
        }
    }
}
