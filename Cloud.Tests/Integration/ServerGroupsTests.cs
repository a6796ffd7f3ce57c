using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Server groups through the real <c>openstack</c> client and raw HTTP (api, scheduler, one fake compute host, glance):
/// create, list, show and delete at 2.1 and 2.64; the scheduler honouring affinity and anti-affinity for servers
/// created with the group hint; another project's group not found; nova's 400s and the group quota's 403.
/// Runs once, on SQLite with the in-process bus (the all-in-one's defaults): its SQL is dialect-neutral (the dialect-specific
/// migrations run on both in MigrationUpgradeContractTests) and the MariaDB path of the Compute API runs in NovaClientTests;
/// a second run on MariaDB would add minutes of client start-ups to CI and nothing it could find.
/// </summary>
[TestFixture(false, Category = "Integration")]
[NonParallelizable]
public sealed class ServerGroupsTests(bool mariaDb)
{
    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ComputeApiCloud.StartAsync(mariaDb);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private Task<string> OpenstackOkAsync(string user, params string[] args) => _cloud.OpenstackOkAsync(user, args);

    private async Task<string> StatusOnceSettledAsync(string user, string server)
    {
        var status = "";
        await Poller.UntilAsync(async () =>
        {
            status = await OpenstackOkAsync(user, "server", "show", server, "-f", "value", "-c", "status");
            return status is "ACTIVE" or "ERROR";
        }, TimeSpan.FromSeconds(60), $"{server} to be ACTIVE or ERROR");
        return status;
    }

    [Test]
    public async Task Anti_affinity_keeps_a_second_member_off_the_only_host_and_affinity_keeps_members_together()
    {
        var anti = await OpenstackOkAsync("alice", "server", "group", "create", "--policy", "anti-affinity", "-f", "value", "-c", "id", "apart");
        var together = await OpenstackOkAsync("alice", "server", "group", "create", "--policy", "affinity", "-f", "value", "-c", "id", "together");

        await OpenstackOkAsync("alice", "server", "create", "--flavor", "m1.tiny", "--image", "ttylinux", "--hint", $"group={anti}", "apart-1");
        (await StatusOnceSettledAsync("alice", "apart-1")).Should().Be("ACTIVE");
        await OpenstackOkAsync("alice", "server", "create", "--flavor", "m1.tiny", "--image", "ttylinux", "--hint", $"group={anti}", "apart-2");
        (await StatusOnceSettledAsync("alice", "apart-2")).Should().Be("ERROR", "the only host already runs a member of the anti-affinity group");
        (await OpenstackOkAsync("alice", "server", "show", "apart-2", "-f", "value", "-c", "fault")).Should().Contain("No valid host was found");

        await OpenstackOkAsync("alice", "server", "create", "--flavor", "m1.tiny", "--image", "ttylinux", "--hint", $"group={together}", "--min", "2", "--max", "2", "near");
        (await StatusOnceSettledAsync("alice", "near-1")).Should().Be("ACTIVE");
        (await StatusOnceSettledAsync("alice", "near-2")).Should().Be("ACTIVE");

        var members = await OpenstackOkAsync("alice", "server", "group", "show", "apart", "-f", "value", "-c", "members");
        members.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2);
        (await OpenstackOkAsync("alice", "server", "group", "list", "-f", "value", "-c", "Name", "-c", "Policy")).Should().Contain("apart anti-affinity").And.Contain("together affinity");

        await OpenstackOkAsync("alice", "server", "delete", "--wait", "apart-1", "apart-2", "near-1", "near-2");
        (await OpenstackOkAsync("alice", "server", "group", "show", "apart", "-f", "value", "-c", "members")).Should().BeOneOf(["", "[]"], "deleted servers leave their group");
        await OpenstackOkAsync("alice", "server", "group", "delete", "apart", "together");
        (await OpenstackOkAsync("alice", "server", "group", "list", "-f", "value")).Should().NotContain("apart");
    }

    [Test]
    public async Task At_2_64_a_group_has_a_policy_and_rules_and_soft_policies_exist()
    {
        var created = await OpenstackOkAsync("alice", "--os-compute-api-version", "2.64", "server", "group", "create", "--policy", "anti-affinity",
            "--rule", "max_server_per_host=2", "-f", "json", "spread");
        var group = ComputeApiCloud.Json(created);
        group.GetProperty("policy").GetString().Should().Be("anti-affinity");
        group.GetProperty("rules").GetProperty("max_server_per_host").GetInt32().Should().Be(2);

        var token = await _cloud.TokenAsync("alice");
        var soft = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-server-groups", new { server_group = new { name = "soft", policies = new[] { "soft-affinity" } } }, "2.15");
        soft.Status.Should().Be(200, soft.Body);
        var old = await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/os-server-groups/{group.GetProperty("id").GetString()}");
        var oldView = ComputeApiCloud.Json(old.Body).GetProperty("server_group");
        oldView.GetProperty("policies").EnumerateArray().Select(p => p.GetString()).Should().Equal("anti-affinity");
        oldView.TryGetProperty("project_id", out _).Should().BeFalse("project_id appears at 2.13");
        oldView.GetProperty("metadata").EnumerateObject().Should().BeEmpty();
    }

    [Test]
    public async Task Bad_groups_get_nova_400s_another_projects_group_is_not_found_and_the_quota_answers_403()
    {
        var token = await _cloud.TokenAsync("alice");
        var unknownPolicy = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-server-groups", new { server_group = new { name = "x", policies = new[] { "spread" } } });
        var softTooEarly = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-server-groups", new { server_group = new { name = "x", policies = new[] { "soft-affinity" } } }, "2.14");
        var blank = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-server-groups", new { server_group = new { name = "", policies = new[] { "affinity" } } });
        var rulesOnAffinity = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-server-groups",
            new { server_group = new { name = "x", policy = "affinity", rules = new { max_server_per_host = 2 } } }, "2.64");
        var badHint = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", new Dictionary<string, object>
        {
            ["server"] = new { name = "h", imageRef = _cloud.ImageId, flavorRef = "1" },
            ["os:scheduler_hints"] = new { group = Guid.NewGuid().ToString() },
        });

        unknownPolicy.Status.Should().Be(400);
        unknownPolicy.Body.Should().Contain("is not one of");
        softTooEarly.Status.Should().Be(400);
        blank.Status.Should().Be(400);
        rulesOnAffinity.Status.Should().Be(400);
        rulesOnAffinity.Body.Should().Contain("Only anti-affinity policy supports rules.");
        badHint.Status.Should().Be(400);
        badHint.Body.Should().Contain("could not be found");

        var mine = ComputeApiCloud.Json((await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-server-groups",
            new { server_group = new { name = "private", policies = new[] { "affinity" } } })).Body).GetProperty("server_group").GetProperty("id").GetString();
        var carol = await _cloud.TokenAsync("carol");
        (await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/os-server-groups/{mine}")).Status.Should().Be(404);
        (await _cloud.NovaAsync(carol, HttpMethod.Delete, $"/v2.1/os-server-groups/{mine}")).Status.Should().Be(404);
        (await _cloud.NovaAsync(carol, HttpMethod.Get, "/v2.1/os-server-groups")).Body.Should().NotContain(mine!);
        var admin = await _cloud.TokenAsync("berendt");
        (await _cloud.NovaAsync(admin, HttpMethod.Get, "/v2.1/os-server-groups?all_projects=True")).Body.Should().Contain(mine!);

        var statuses = new List<int>();
        for (var i = 0; i < 11; i++)
        {
            statuses.Add((await _cloud.NovaAsync(carol, HttpMethod.Post, "/v2.1/os-server-groups", new { server_group = new { name = $"q{i}", policies = new[] { "affinity" } } })).Status);
        }
        statuses.Take(10).Should().OnlyContain(s => s == 200);
        statuses[10].Should().Be(403, "the server_groups quota defaults to 10");
    }
}
