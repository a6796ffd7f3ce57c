using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The Compute admin APIs driven by the real <c>openstack</c> and <c>nova</c> clients (and raw HTTP for the error
/// messages) against a cloudd running api, scheduler, compute (fake test-double driver) and glance: flavors with access
/// lists and extra specs, quota sets and quota classes, services, hypervisors, availability zones, security group
/// updates and usage, on SQLite and on MariaDB.
/// </summary>
[TestFixture(false, Category = "Integration")]
[TestFixture(true, Category = "Integration")]
[NonParallelizable]
public sealed class NovaAdminClientTests(bool mariaDb)
{
    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ComputeApiCloud.StartAsync(mariaDb);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private async Task<string> OpenstackOkAsync(string user, params string[] args)
    {
        var run = await _cloud.OpenstackAsync(user, args);
        run.ExitCode.Should().Be(0, $"openstack {string.Join(' ', args)}: {run}\n{_cloud.Cloud.Logs[^Math.Min(_cloud.Cloud.Logs.Length, 4000)..]}");
        return run.Stdout;
    }

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

        await OpenstackOkAsync("berendt", "flavor", "set", "--project", third, "gold");
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

        await OpenstackOkAsync("berendt", "flavor", "unset", "--project", third, "gold");
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
        zeroRam.Body.Should().Contain("Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1");
        (await _cloud.NovaAsync(admin, HttpMethod.Post, "/v2.1/flavors", new { flavor = new { name = "bad", ram = 1, vcpus = 1 } })).Body.Should().Contain("'disk' is a required property");
        var duplicate = await _cloud.NovaAsync(admin, HttpMethod.Post, "/v2.1/flavors", new { flavor = new { name = "m1.tiny", ram = 1, vcpus = 1, disk = 0 } });
        duplicate.Status.Should().Be(409);
        duplicate.Body.Should().Contain("Flavor with name m1.tiny already exists.");
        (await _cloud.NovaAsync(carol, HttpMethod.Post, "/v2.1/flavors", new { flavor = new { name = "mine", ram = 1, vcpus = 1, disk = 0 } })).Status.Should().Be(403);

        var auto = await OpenstackOkAsync("berendt", "flavor", "create", "--id", "auto", "--ram", "64", "--vcpus", "1", "auto-id", "-f", "value", "-c", "id");
        Guid.TryParse(auto.Trim(), out _).Should().BeTrue(auto);
        var paged = ComputeApiCloud.Json((await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/flavors?limit=2&marker=1")).Body);
        paged.GetProperty("flavors").GetArrayLength().Should().Be(2);
        paged.GetProperty("flavors_links")[0].GetProperty("href").GetString().Should().Contain("marker=3");
        (await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/flavors?marker=nope")).Body.Should().Contain("marker [nope] not found");
        (await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/flavors/1", version: "2.75")).Body.Should().Contain("\"swap\":0");
        (await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/flavors/1")).Body.Should().Contain("\"swap\":\"\"");
        await OpenstackOkAsync("berendt", "flavor", "delete", auto.Trim());
    }
}
