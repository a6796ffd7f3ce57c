using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The Block Storage API v3 (and nova's os-volumes, and EC2's volume actions) against a cloudd running api, scheduler,
/// compute (fake) and glance but no volume host: discovery and microversions, the catalog, hostile input, project
/// isolation, filters and paging, types, limits and quota sets. Volumes here never become available (no host takes them);
/// <see cref="CinderClientTests"/> drives the whole life of volumes on a real volume host.
/// </summary>
[TestFixture(Category = "Integration")]
[NonParallelizable]
public sealed class CinderApiTests
{
    private VolumeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await VolumeApiCloud.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private static readonly HttpMethod Get = HttpMethod.Get;
    private static readonly HttpMethod Post = HttpMethod.Post;
    private static readonly HttpMethod Put = HttpMethod.Put;
    private static readonly HttpMethod Delete = HttpMethod.Delete;

    private async Task<string> CreateAsync(string user, string name, long size = 1)
    {
        var created = await _cloud.CinderAsync(user, Post, "/volumes", new { volume = new { size, name } });
        created.Status.Should().Be(202, created.ToString());
        return created.Json.GetProperty("volume").GetProperty("id").GetString()!;
    }

    private async Task<string[]> NamesAsync(string user, string query = "")
    {
        var list = await _cloud.CinderAsync(user, Get, "/volumes/detail" + query);
        list.Status.Should().Be(200, list.ToString());
        return [.. list.Json.GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("name").GetString() ?? "")];
    }

    [Test]
    public async Task Versions_are_discovered_without_a_token_and_microversions_are_negotiated()
    {
        var root = await _cloud.CinderAsync(null, Get, "//");
        root.Status.Should().Be(300);
        var v3 = (await _cloud.CinderAsync(null, Get, "//v3/")).Json.GetProperty("versions")[0];
        v3.GetProperty("id").GetString().Should().Be("v3.0");
        v3.GetProperty("min_version").GetString().Should().Be("3.0");
        v3.GetProperty("version").GetString().Should().Be("3.44");

        (await _cloud.CinderAsync("alice", Get, "/volumes")).Headers["OpenStack-API-Version"].Should().Be("volume 3.0");
        (await _cloud.CinderAsync("alice", Get, "/volumes", version: "latest")).Headers["OpenStack-API-Version"].Should().Be("volume 3.44");
        (await _cloud.CinderAsync("alice", Get, "/volumes", version: "3.27")).Headers["OpenStack-API-Version"].Should().Be("volume 3.27");
        var tooNew = await _cloud.CinderAsync("alice", Get, "/volumes", version: "3.45");
        tooNew.Status.Should().Be(406);
        tooNew.Body.Should().Contain("Minimum is 3.0 and maximum is 3.44");
        (await _cloud.CinderAsync("alice", Get, "/volumes", version: "three")).Status.Should().Be(400);

        // The attachments API exists from 3.27 on.
        (await _cloud.CinderAsync("alice", Get, "/attachments")).Status.Should().Be(404);
        (await _cloud.CinderAsync("alice", Get, "/attachments", version: "3.27")).Status.Should().Be(200);
    }

    [Test]
    public async Task The_catalog_names_the_block_storage_api_as_volumev3_and_block_storage()
    {
        var catalog = await _cloud.Clients.OpenstackAsync("alice", "catalog", "list", "-f", "json");
        catalog.ExitCode.Should().Be(0, catalog.ToString());
        var entries = JsonDocument.Parse(catalog.Stdout).RootElement.EnumerateArray().ToList();
        var (_, project) = await _cloud.LoginAsync("alice");
        foreach (var type in new[] { "volumev3", "block-storage" })
        {
            entries.Should().ContainSingle(e => e.GetProperty("Type").GetString() == type)
                .Which.GetProperty("Endpoints").ToString().Should().Contain($"{_cloud.Cloud.VolumeUrl}/v3/{project}");
        }
    }

    [TestCase("0", "0 is less than the minimum of 1")]
    [TestCase("-1", "-1 is less than the minimum of 1")]
    [TestCase("\"abc\"", "'abc' is not an integer")]
    [TestCase("1.5", "'1.5' is not an integer")]
    [TestCase("10000000000", "is greater than the maximum of 2147483647")]
    [TestCase("[1]", "is not an integer")]
    public async Task A_bad_size_is_a_400_with_cinders_message_and_creates_nothing(string size, string message)
    {
        var answer = await _cloud.CinderAsync("carol", Post, "/volumes", "{\"volume\": {\"size\": " + size + ", \"name\": \"bad\"}}");

        answer.Status.Should().Be(400, answer.ToString());
        answer.Json.GetProperty("badRequest").GetProperty("message").GetString().Should().Contain(message);
        (await NamesAsync("carol")).Should().NotContain("bad");
    }

    [TestCase("{", "Malformed request body")]
    [TestCase("[]", "must be a JSON object")]
    [TestCase("""{"size": 1}""", "must contain the object")]
    [TestCase("""{"volume": {"size": 1, "name": "bad", "availability_zone": "nowhere"}}""", "nowhere")]
    [TestCase("""{"volume": {"size": 1, "name": "bad", "imageRef": "x"}}""", "image")]
    [TestCase("""{"volume": {"size": 1, "name": "bad", "metadata": {"k": 1}}}""", "metadata")]
    [TestCase("""{"volume": {"size": 1, "name": "bad", "snapshot_id": "no-such-snapshot"}}""", "no-such-snapshot")]
    public async Task A_malformed_or_impossible_create_is_a_4xx_with_a_message_and_creates_nothing(string body, string message)
    {
        var answer = await _cloud.CinderAsync("carol", Post, "/volumes", body);

        answer.Status.Should().BeInRange(400, 404, answer.ToString());
        answer.Body.Should().Contain(message);
        (await NamesAsync("carol")).Should().NotContain("bad");
    }

    [Test]
    public async Task A_size_over_the_gigabytes_quota_is_a_413_with_the_quota_message_through_the_openstack_client_too()
    {
        var answer = await _cloud.CinderAsync("carol", Post, "/volumes", new { volume = new { size = 1_000_000_000, name = "huge" } });
        answer.Status.Should().Be(413, answer.ToString());
        answer.Json.GetProperty("overLimit").GetProperty("message").GetString().Should().Contain("exceeds allowed gigabytes quota");

        var client = await _cloud.Clients.OpenstackAsync("carol", "volume", "create", "--size", "1000000000", "huge");
        client.ExitCode.Should().NotBe(0);
        client.Stderr.Should().Contain("exceeds allowed gigabytes quota").And.Contain("HTTP 413");
        (await NamesAsync("carol")).Should().NotContain("huge");
    }

    [Test]
    public async Task Another_projects_volume_is_not_found_and_another_projects_url_is_refused()
    {
        var id = await CreateAsync("berendt", "berendts");

        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
        {
            (Get, $"/volumes/{id}", null),
            (Put, $"/volumes/{id}", new { volume = new { name = "stolen" } }),
            (Delete, $"/volumes/{id}", null),
            (Post, $"/volumes/{id}/action", new Dictionary<string, object> { ["os-extend"] = new { new_size = 5 } }),
            (Get, $"/volumes/{id}/metadata", null),
            (Post, "/snapshots", new { snapshot = new { volume_id = id } }),
            (Post, "/volumes", new { volume = new { source_volid = id, name = "clone" } }),
        })
        {
            var answer = await _cloud.CinderAsync("alice", method, path, body);
            answer.Status.Should().Be(404, $"{method} {path}: {answer}");
            answer.Json.TryGetProperty("itemNotFound", out _).Should().BeTrue(answer.ToString());
        }
        (await NamesAsync("alice")).Should().NotContain("berendts").And.NotContain("clone");

        var (_, berendtsProject) = await _cloud.LoginAsync("berendt");
        var foreignUrl = await _cloud.CinderAsync("alice", Get, $"//v3/{berendtsProject}/volumes/{id}");
        foreignUrl.Status.Should().Be(400);
        foreignUrl.Body.Should().Contain("Malformed request url");
        (await _cloud.CinderAsync(null, Get, $"//v3/{berendtsProject}/volumes")).Status.Should().Be(401);
        (await NamesAsync("berendt")).Should().Contain("berendts");
        (await _cloud.CinderAsync("berendt", Get, $"/volumes/{id}")).Json.GetProperty("volume").GetProperty("name").GetString().Should().Be("berendts");
    }

    [Test]
    public async Task An_admin_lists_every_projects_volumes_with_all_tenants_and_a_member_only_their_own()
    {
        await CreateAsync("alice", "alices");
        await CreateAsync("berendt", "admins");

        (await NamesAsync("alice", "?all_tenants=1")).Should().Contain("alices").And.NotContain("admins");
        (await NamesAsync("berendt")).Should().Contain("admins").And.NotContain("alices");
        (await NamesAsync("berendt", "?all_tenants=1")).Should().Contain("admins").And.Contain("alices");
    }

    [Test]
    public async Task Volumes_are_filtered_sorted_and_paged_as_cinder_does()
    {
        foreach (var name in new[] { "page-b", "page-a", "page-c" })
        {
            await CreateAsync("carol", name);
        }

        (await NamesAsync("carol", "?name=page-a")).Should().Equal("page-a");
        (await NamesAsync("carol", "?sort=name:asc")).Where(n => n.StartsWith("page-", StringComparison.Ordinal)).Should().Equal("page-a", "page-b", "page-c");
        var first = await _cloud.CinderAsync("carol", Get, "/volumes?sort=name:asc&limit=1");
        var firstPage = first.Json.GetProperty("volumes").EnumerateArray().ToList();
        firstPage.Should().ContainSingle();
        var next = first.Json.GetProperty("volumes_links")[0].GetProperty("href").GetString()!;
        next.Should().Contain("marker=" + firstPage[0].GetProperty("id").GetString());
        var second = await _cloud.CinderAsync("carol", Get, "//" + next[_cloud.Cloud.VolumeUrl.Length..].TrimStart('/'));
        second.Status.Should().Be(200, second.ToString());
        second.Json.GetProperty("volumes")[0].GetProperty("name").GetString().Should().NotBe(firstPage[0].GetProperty("name").GetString());

        (await _cloud.CinderAsync("carol", Get, "/volumes?limit=abc")).Status.Should().Be(400);
        (await _cloud.CinderAsync("carol", Get, "/volumes?limit=-1")).Status.Should().Be(400);
        (await _cloud.CinderAsync("carol", Get, "/volumes?sort=password:asc")).Status.Should().Be(400);
        (await _cloud.CinderAsync("carol", Get, "/volumes?marker=no-such-volume")).Status.Should().Be(404);
    }

    [Test]
    public async Task A_volume_is_renamed_and_its_metadata_set_merged_and_removed()
    {
        var id = await CreateAsync("carol", "meta");

        var renamed = await _cloud.CinderAsync("carol", Put, $"/volumes/{id}", new { volume = new { name = "meta2", description = "d", metadata = new { a = "1" } } });
        renamed.Status.Should().Be(200, renamed.ToString());
        renamed.Json.GetProperty("volume").GetProperty("name").GetString().Should().Be("meta2");
        (await _cloud.CinderAsync("carol", Put, $"/volumes/{id}", new { volume = new { size = 9 } })).Status.Should().Be(400);

        (await _cloud.CinderAsync("carol", Post, $"/volumes/{id}/metadata", new { metadata = new { b = "2" } })).Json.GetProperty("metadata").ToString()
            .Should().Contain("\"a\"").And.Contain("\"b\"");
        (await _cloud.CinderAsync("carol", Delete, $"/volumes/{id}/metadata/a")).Status.Should().Be(200);
        (await _cloud.CinderAsync("carol", Get, $"/volumes/{id}/metadata/a")).Status.Should().Be(404);
        (await _cloud.CinderAsync("carol", Put, $"/volumes/{id}/metadata", new { metadata = new { c = "3" } })).Json.GetProperty("metadata").ToString()
            .Should().Be("""{"c":"3"}""");
    }

    [Test]
    public async Task Bad_actions_are_refused_with_a_message()
    {
        var id = await CreateAsync("carol", "acts");

        (await _cloud.CinderAsync("carol", Post, $"/volumes/{id}/action", """{"os-extend": {"new_size": "abc"}}""")).Status.Should().Be(400);
        (await _cloud.CinderAsync("carol", Post, $"/volumes/{id}/action", """{"os-frobnicate": {}}""")).Body.Should().Contain("There is no such action: os-frobnicate");
        (await _cloud.CinderAsync("carol", Post, $"/volumes/{id}/action", """{"os-initialize_connection": {"connector": {}}}""")).Status.Should().Be(400);
        var reset = await _cloud.CinderAsync("carol", Post, $"/volumes/{id}/action", """{"os-reset_status": {"status": "available"}}""");
        reset.Status.Should().Be(403, reset.ToString());
    }

    [Test]
    public async Task A_volume_is_marked_bootable_by_its_owner_and_its_status_reset_by_an_admin()
    {
        var id = await CreateAsync("berendt", "stuck");
        await Poller.UntilAsync(async () => (await _cloud.CinderAsync("berendt", Get, $"/volumes/{id}")).Json.GetProperty("volume").GetProperty("status").GetString() == "error",
            TimeSpan.FromSeconds(30), "the volume to fail for want of a volume host");

        (await _cloud.CinderAsync("berendt", Post, $"/volumes/{id}/action", """{"os-set_bootable": {"bootable": true}}""")).Status.Should().Be(200);
        (await _cloud.CinderAsync("berendt", Post, $"/volumes/{id}/action", """{"os-set_bootable": {"bootable": "maybe"}}""")).Status.Should().Be(400);
        (await _cloud.CinderAsync("berendt", Post, $"/volumes/{id}/action", """{"os-reset_status": {"status": "confused"}}""")).Status.Should().Be(400);
        (await _cloud.CinderAsync("berendt", Post, $"/volumes/{id}/action", """{"os-reset_status": null}""")).Status.Should().Be(400);
        var reset = await _cloud.CinderAsync("berendt", Post, $"/volumes/{id}/action", """{"os-reset_status": {"status": "available", "attach_status": "detached"}}""");
        reset.Status.Should().Be(202, reset.ToString());

        var shown = (await _cloud.CinderAsync("berendt", Get, $"/volumes/{id}")).Json.GetProperty("volume");
        shown.GetProperty("status").GetString().Should().Be("available");
        shown.GetProperty("bootable").GetString().Should().Be("true");
    }

    [Test]
    public async Task Types_availability_zones_and_limits_have_cinders_shapes()
    {
        var types = (await _cloud.CinderAsync("alice", Get, "/types")).Json.GetProperty("volume_types");
        types.EnumerateArray().Should().ContainSingle().Which.GetProperty("name").GetString().Should().Be("__DEFAULT__");
        (await _cloud.CinderAsync("alice", Get, "/types/default")).Json.GetProperty("volume_type").GetProperty("id").GetString()
            .Should().Be(types[0].GetProperty("id").GetString());
        (await _cloud.CinderAsync("alice", Get, "/types/nope")).Status.Should().Be(404);
        (await _cloud.CinderAsync("alice", Get, "/os-availability-zone")).Json.TryGetProperty("availabilityZoneInfo", out _).Should().BeTrue();

        var absolute = (await _cloud.CinderAsync("alice", Get, "/limits")).Json.GetProperty("limits").GetProperty("absolute");
        absolute.GetProperty("maxTotalVolumes").GetInt64().Should().Be(10);
        absolute.GetProperty("maxTotalVolumeGigabytes").GetInt64().Should().Be(1000);
        absolute.TryGetProperty("totalVolumesUsed", out _).Should().BeTrue();
    }

    [Test]
    public async Task Openstack_shows_the_volume_quotas_and_absolute_limits()
    {
        var quota = await _cloud.Clients.OpenstackAsync("alice", "quota", "show", "-f", "json");
        quota.ExitCode.Should().Be(0, quota.ToString());
        var shown = JsonDocument.Parse(quota.Stdout).RootElement;
        shown.GetProperty("volumes").GetInt64().Should().Be(10);
        shown.GetProperty("gigabytes").GetInt64().Should().Be(1000);
        shown.GetProperty("instances").GetInt64().Should().Be(10);

        var limits = await _cloud.Clients.OpenstackAsync("alice", "limits", "show", "--absolute", "-f", "value");
        limits.ExitCode.Should().Be(0, limits.ToString());
        limits.Stdout.Should().Contain("maxTotalVolumes 10").And.Contain("maxTotalVolumeGigabytes 1000").And.Contain("totalVolumesUsed");
    }

    [Test]
    public async Task Quota_sets_are_shown_to_their_project_and_changed_by_an_admin_only()
    {
        var (_, other) = await _cloud.LoginAsync("alice");
        var (_, testing) = await _cloud.LoginAsync("berendt");
        var own = await _cloud.CinderAsync("alice", Get, $"/os-quota-sets/{other}?usage=True");
        own.Status.Should().Be(200, own.ToString());
        own.Json.GetProperty("quota_set").GetProperty("volumes").GetProperty("limit").GetInt64().Should().Be(10);
        (await _cloud.CinderAsync("alice", Get, $"/os-quota-sets/{other}/defaults")).Json.GetProperty("quota_set").GetProperty("gigabytes").GetInt64().Should().Be(1000);
        (await _cloud.CinderAsync("alice", Get, $"/os-quota-sets/{testing}")).Status.Should().Be(403);
        (await _cloud.CinderAsync("alice", Put, $"/os-quota-sets/{other}", new { quota_set = new { volumes = 100 } })).Status.Should().Be(403);
        (await _cloud.CinderAsync("berendt", Put, $"/os-quota-sets/{other}", new { quota_set = new { bananas = 1 } })).Status.Should().Be(400);
        (await _cloud.CinderAsync("berendt", Put, $"/os-quota-sets/{other}", new { quota_set = new { volumes = -2 } })).Status.Should().Be(400);
        (await _cloud.CinderAsync("berendt", Put, $"/os-quota-sets/{other}", new { quota_set = new { volumes = "x" } })).Status.Should().Be(400);
    }

    [Test]
    public async Task The_volumes_quota_refuses_one_volume_too_many_through_cinder_openstack_and_ec2()
    {
        var (_, third) = await _cloud.LoginAsync("carol");
        var used = (await _cloud.CinderAsync("carol", Get, $"/os-quota-sets/{third}?usage=True")).Json.GetProperty("quota_set").GetProperty("volumes").GetProperty("in_use").GetInt64();
        (await _cloud.CinderAsync("berendt", Put, $"//v3/{(await _cloud.LoginAsync("berendt")).Project}/os-quota-sets/{third}", new { quota_set = new { volumes = used } })).Status.Should().Be(200);
        try
        {
            var cinder = await _cloud.CinderAsync("carol", Post, "/volumes", new { volume = new { size = 1, name = "one-too-many" } });
            cinder.Status.Should().Be(413, cinder.ToString());
            cinder.Body.Should().Contain("Maximum number of volumes allowed");

            var openstack = await _cloud.Clients.OpenstackAsync("carol", "volume", "create", "--size", "1", "one-too-many");
            openstack.Stderr.Should().Contain("Maximum number of volumes allowed");

            var aws = await _cloud.Clients.AwsAsync("carol", "create-volume", "--size", "1", "--availability-zone", "nova");
            aws.ExitCode.Should().NotBe(0);
            aws.Stderr.Should().Contain("VolumeLimitExceeded").And.Contain("Maximum number of volumes allowed");
            (await NamesAsync("carol")).Should().NotContain("one-too-many");
        }
        finally
        {
            await _cloud.CinderAsync("berendt", Put, $"//v3/{(await _cloud.LoginAsync("berendt")).Project}/os-quota-sets/{third}", new { quota_set = new { volumes = 10 } });
        }
    }

    [Test]
    public async Task Novas_os_volumes_shows_what_cinder_shows_and_refuses_what_nova_refuses()
    {
        var token = (await _cloud.LoginAsync("carol")).Token;
        var created = await _cloud.Clients.NovaAsync(token, Post, "/v2.1/os-volumes", new { volume = new { size = 1, display_name = "novas" } });
        created.Status.Should().Be(200, created.Body);
        var volume = ComputeApiCloud.Json(created.Body).GetProperty("volume");
        volume.GetProperty("displayName").GetString().Should().Be("novas");
        volume.GetProperty("attachments").ToString().Should().Be("[{}]");
        var id = volume.GetProperty("id").GetString()!;
        (await _cloud.CinderAsync("carol", Get, $"/volumes/{id}")).Json.GetProperty("volume").GetProperty("name").GetString().Should().Be("novas");
        (await _cloud.Clients.NovaAsync(token, Get, "/v2.1/os-volumes/detail")).Body.Should().Contain(id);

        (await _cloud.Clients.NovaAsync(token, Post, "/v2.1/os-volumes", new { volume = new { size = 1, colour = "red" } })).Status.Should().Be(400);
        (await _cloud.Clients.NovaAsync(token, Post, "/v2.1/os-volumes", new { volume = new { size = 0 } })).Status.Should().Be(400);
        (await _cloud.Clients.NovaAsync(token, Post, "/v2.1/os-snapshots", new { snapshot = new { volume_id = "nope" } })).Status.Should().Be(404);
        var alice = (await _cloud.LoginAsync("alice")).Token;
        (await _cloud.Clients.NovaAsync(alice, Get, $"/v2.1/os-volumes/{id}")).Status.Should().Be(404);
        (await _cloud.Clients.NovaAsync(alice, Delete, $"/v2.1/os-volumes/{id}")).Status.Should().Be(404);
    }

    [Test]
    public async Task Ec2_refuses_bad_sizes_and_ids_and_hides_another_projects_volume()
    {
        var zero = await _cloud.Clients.AwsAsync("carol", "create-volume", "--size", "0", "--availability-zone", "nova");
        zero.Stderr.Should().Contain("InvalidParameterValue");
        var zone = await _cloud.Clients.AwsAsync("carol", "create-volume", "--size", "1", "--availability-zone", "nowhere");
        zone.Stderr.Should().Contain("InvalidParameterValue").And.Contain("nowhere");
        var huge = await _cloud.Clients.AwsAsync("carol", "create-volume", "--size", "1000000000", "--availability-zone", "nova");
        huge.Stderr.Should().Contain("VolumeLimitExceeded").And.Contain("gigabytes quota");

        var created = await _cloud.Clients.AwsAsync("carol", "create-volume", "--size", "1", "--availability-zone", "nova", "--output", "json");
        created.ExitCode.Should().Be(0, created.ToString());
        var volumeId = JsonDocument.Parse(created.Stdout).RootElement.GetProperty("VolumeId").GetString()!;
        volumeId.Should().MatchRegex("^vol-[0-9a-f]{8}$");
        (await _cloud.Clients.AwsAsync("carol", "describe-volumes", "--volume-ids", volumeId)).Stdout.Should().Contain(volumeId);

        (await _cloud.Clients.AwsAsync("alice", "describe-volumes", "--volume-ids", volumeId)).Stderr.Should().Contain("InvalidVolume.NotFound");
        (await _cloud.Clients.AwsAsync("alice", "describe-volumes")).Stdout.Should().NotContain(volumeId);
        (await _cloud.Clients.AwsAsync("alice", "delete-volume", "--volume-id", volumeId)).Stderr.Should().Contain("InvalidVolume.NotFound");
        (await _cloud.Clients.AwsAsync("alice", "create-snapshot", "--volume-id", volumeId)).Stderr.Should().Contain("InvalidVolume.NotFound");
        (await _cloud.Clients.AwsAsync("carol", "describe-volumes", "--volume-ids", "vol-xyz")).Stderr.Should().Contain("InvalidVolumeID.Malformed");
        (await _cloud.Clients.AwsAsync("carol", "describe-snapshots", "--snapshot-ids", "snap-0000ffff")).Stderr.Should().Contain("InvalidSnapshot.NotFound");
    }
}
