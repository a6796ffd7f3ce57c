using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Rebuild, resize with confirm and revert, createImage and shelve/unshelve driven by the real <c>openstack</c> client (at its
/// default microversion and at 2.latest) and raw HTTP against a cloudd with api, scheduler, compute (fake test-double
/// driver, one host, so <c>--allow_resize_to_same_host</c>) and glance: states, flavors, the
/// snapshot image in Glance, os-migrations, and nova's refusals.
/// Runs once, on MariaDB and RabbitMQ (a real operator's set-up): its SQL is dialect-neutral (the dialect-specific
/// migrations run on both in MigrationUpgradeContractTests) and the SQLite path of the Compute API runs in NovaClientTests;
/// a second run on SQLite would add minutes of client start-ups to CI and nothing it could find.
/// </summary>
[TestFixture(true, Category = "Integration")]
[NonParallelizable]
public sealed class ServerMoveClientTests(bool mariaDb)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ComputeApiCloud.StartAsync(mariaDb, "--allow_resize_to_same_host=true");

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private Task<string> OpenstackOkAsync(string user, params string[] args) => _cloud.OpenstackOkAsync(user, args);

    private async Task<string> ServerAsync(string user, string name)
    {
        var id = (await OpenstackOkAsync(user, "server", "create", "--flavor", "m1.tiny", "--image", "ttylinux", "--wait", "-f", "value", "-c", "id", name)).Trim();
        await StatusIsAsync(user, id, "ACTIVE");
        return id;
    }

    private async Task StatusIsAsync(string user, string server, string status)
    {
        var seen = "";
        await Poller.UntilAsync(async () => (seen = (await OpenstackOkAsync(user, "server", "show", server, "-f", "value", "-c", "status")).Trim()) == status,
            Wait, $"server {server} to be {status} (it is {seen})");
    }

    private async Task<(int Status, JsonElement Body)> ActAsync(string user, string server, object body, string? version = null)
    {
        var (status, text) = await _cloud.NovaAsync(await _cloud.TokenAsync(user), HttpMethod.Post, $"/v2.1/servers/{server}/action", body, version);
        return (status, text.Length == 0 ? default : ComputeApiCloud.Json(text));
    }

    [Test]
    public async Task Openstack_resizes_a_server_then_confirms_and_a_second_resize_is_reverted()
    {
        var id = await ServerAsync("carol", "grow");

        await OpenstackOkAsync("carol", "server", "resize", "--flavor", "m1.small", "--wait", id);
        await StatusIsAsync("carol", id, "VERIFY_RESIZE");
        (await OpenstackOkAsync("carol", "server", "resize", "confirm", id)).Should().BeEmpty();
        await StatusIsAsync("carol", id, "ACTIVE");
        (await OpenstackOkAsync("carol", "server", "show", id, "-f", "value", "-c", "flavor")).Should().Contain("m1.small");

        await OpenstackOkAsync("carol", "--os-compute-api-version", "2.latest", "server", "resize", "--flavor", "m1.medium", id);
        await StatusIsAsync("carol", id, "VERIFY_RESIZE");
        await OpenstackOkAsync("carol", "server", "resize", "revert", id);
        await StatusIsAsync("carol", id, "ACTIVE");
        (await OpenstackOkAsync("carol", "server", "show", id, "-f", "value", "-c", "flavor")).Should().Contain("m1.small");

        var admin = await _cloud.TokenAsync("berendt");
        var (status, text) = await _cloud.NovaAsync(admin, HttpMethod.Get, $"/v2.1/os-migrations?instance_uuid={id}", version: "2.80");
        status.Should().Be(200, text);
        var migrations = ComputeApiCloud.Json(text).GetProperty("migrations").EnumerateArray().ToList();
        migrations.Select(m => m.GetProperty("status").GetString()).Should().Equal("reverted", "confirmed");
        migrations.Should().AllSatisfy(m =>
        {
            m.GetProperty("migration_type").GetString().Should().Be("resize");
            m.GetProperty("source_compute").GetString().Should().Be("fakehost");
            m.GetProperty("dest_compute").GetString().Should().Be("fakehost");
        });
        migrations[1].GetProperty("old_instance_type_id").GetInt64().Should().Be(1);
        migrations[1].GetProperty("new_instance_type_id").GetInt64().Should().Be(2);

        var actions = await OpenstackOkAsync("carol", "server", "event", "list", id, "-f", "value", "-c", "Action");
        actions.Should().Contain("resize").And.Contain("confirmResize").And.Contain("revertResize");
        await OpenstackOkAsync("carol", "server", "delete", "--wait", id);
    }

    [Test]
    public async Task Resize_refusals_carry_novas_status_and_message()
    {
        var id = await ServerAsync("carol", "refused");

        var same = await ActAsync("carol", id, new { resize = new { flavorRef = "1" } });
        same.Status.Should().Be(400);
        same.Body.GetProperty("badRequest").GetProperty("message").GetString().Should().Be("When resizing, instances must change flavor!");

        var unknown = await ActAsync("carol", id, new { resize = new { flavorRef = "4711" } });
        unknown.Status.Should().Be(400);
        unknown.Body.GetProperty("badRequest").GetProperty("message").GetString().Should().Be("Flavor 4711 could not be found.");

        var confirm = await ActAsync("carol", id, new { confirmResize = (object?)null });
        confirm.Status.Should().Be(409);
        confirm.Body.GetProperty("conflictingRequest").GetProperty("message").GetString().Should().Be($"Cannot 'confirmResize' instance {id} while it is in vm_state active");

        (await ActAsync("alice", id, new { resize = new { flavorRef = "2" } })).Status.Should().Be(404, "another project's server is not found");
        var (status, _) = await _cloud.NovaAsync(await _cloud.TokenAsync("carol"), HttpMethod.Get, "/v2.1/os-migrations");
        status.Should().Be(403, "os-migrations is for admins");
        await OpenstackOkAsync("carol", "server", "delete", "--wait", id);
    }

    [Test]
    public async Task Openstack_creates_an_image_of_a_server_into_glance_as_a_snapshot()
    {
        var id = await ServerAsync("carol", "snapped");

        await OpenstackOkAsync("carol", "server", "image", "create", "--name", "snap-1", "--wait", id);
        var image = await OpenstackOkAsync("carol", "image", "show", "snap-1", "-f", "json");
        var shown = ComputeApiCloud.Json(image);
        shown.GetProperty("status").GetString().Should().Be("active");
        shown.GetProperty("visibility").GetString().Should().Be("private");
        var properties = shown.GetProperty("properties");
        properties.GetProperty("image_type").GetString().Should().Be("snapshot");
        properties.GetProperty("instance_uuid").GetString().Should().Be(id);
        properties.GetProperty("base_image_ref").GetString().Should().Be(_cloud.ImageId);
        properties.GetProperty("owner_user_name").GetString().Should().Be("carol", "nova 26 keeps the owner's names from the boot");
        properties.GetProperty("owner_project_name").GetString().Should().Be("third");
        properties.GetProperty("boot_roles").GetString().Should().NotBeNullOrEmpty("the roles she has in her project");

        var latest = await ActAsync("carol", id, new { createImage = new { name = "snap-2", metadata = new { purpose = "test" } } }, "2.45");
        latest.Status.Should().Be(202);
        var imageId = latest.Body.GetProperty("image_id").GetString();
        await Poller.UntilAsync(async () => (await OpenstackOkAsync("carol", "image", "show", imageId!, "-f", "value", "-c", "status")).Trim() == "active",
            Wait, "the second snapshot to be active");
        (await OpenstackOkAsync("carol", "image", "show", imageId!, "-f", "value", "-c", "properties")).Should().Contain("purpose");
        await StatusIsAsync("carol", id, "ACTIVE");

        var (oldStatus, oldBody) = await _cloud.NovaAsync(await _cloud.TokenAsync("carol"), HttpMethod.Post, $"/v2.1/servers/{id}/action", new { createImage = new { name = "snap-3" } });
        oldStatus.Should().Be(202);
        oldBody.Should().BeEmpty("below 2.45 the image is only in the Location header");

        var blank = await ActAsync("carol", id, new { createImage = new { name = " " } });
        blank.Status.Should().Be(400);
        (await OpenstackOkAsync("alice", "image", "list", "-f", "value", "-c", "Name")).Should().NotContain("snap-1", "a snapshot is private to its project");
        await OpenstackOkAsync("carol", "server", "delete", "--wait", id);
    }

    [Test]
    public async Task Openstack_shelves_a_server_off_its_host_and_unshelves_it_from_its_snapshot()
    {
        var id = await ServerAsync("carol", "shelf");

        await OpenstackOkAsync("carol", "server", "shelve", id);
        await StatusIsAsync("carol", id, "SHELVED_OFFLOADED");
        var shelvedImage = (await OpenstackOkAsync("carol", "image", "list", "--property", $"instance_uuid={id}", "-f", "value", "-c", "Name")).Trim();
        shelvedImage.Should().Be("shelf-shelved");
        var admin = await _cloud.TokenAsync("berendt");
        var (_, show) = await _cloud.NovaAsync(admin, HttpMethod.Get, $"/v2.1/servers/{id}");
        ComputeApiCloud.Json(show).GetProperty("server").GetProperty("hostId").GetString().Should().BeEmpty("an offloaded server has no host");

        var again = await ActAsync("carol", id, new { shelve = (object?)null });
        again.Status.Should().Be(409);
        again.Body.GetProperty("conflictingRequest").GetProperty("message").GetString().Should().Be($"Cannot 'shelve' instance {id} while it is in vm_state shelved_offloaded");

        await OpenstackOkAsync("carol", "--os-compute-api-version", "2.latest", "server", "unshelve", id);
        await StatusIsAsync("carol", id, "ACTIVE");
        await Poller.UntilAsync(async () => !(await OpenstackOkAsync("carol", "image", "list", "-f", "value", "-c", "Name")).Contains("shelf-shelved", StringComparison.Ordinal),
            Wait, "the shelved snapshot to be deleted after the unshelve");
        await OpenstackOkAsync("carol", "server", "delete", "--wait", id);
    }

    [Test]
    public async Task Openstack_rebuilds_a_server_with_a_new_name_and_the_answer_is_the_whole_server()
    {
        var id = await ServerAsync("carol", "before");

        await OpenstackOkAsync("carol", "server", "rebuild", "--image", "ttylinux", "--name", "after", "--property", "role=web", "--wait", id);
        await StatusIsAsync("carol", id, "ACTIVE");
        var shown = await OpenstackOkAsync("carol", "server", "show", id, "-f", "value", "-c", "name", "-c", "properties");
        shown.Should().Contain("after").And.Contain("role");

        var rebuilt = await ActAsync("carol", id, new { rebuild = new { imageRef = _cloud.ImageId, adminPass = "s3cret-Pass", description = "rebuilt" } }, "2.75");
        rebuilt.Status.Should().Be(202);
        var server = rebuilt.Body.GetProperty("server");
        server.GetProperty("id").GetString().Should().Be(id);
        server.GetProperty("adminPass").GetString().Should().Be("s3cret-Pass");
        server.GetProperty("status").GetString().Should().Be("REBUILD");
        await StatusIsAsync("carol", id, "ACTIVE");

        var missing = await ActAsync("carol", id, new { rebuild = new { imageRef = Guid.NewGuid().ToString() } });
        missing.Status.Should().Be(400);
        missing.Body.GetProperty("badRequest").GetProperty("message").GetString().Should().Be("Cannot find image for rebuild");
        await OpenstackOkAsync("carol", "server", "delete", "--wait", id);
    }
}
