using System.Diagnostics;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 7: requests whose cost the tenant chose. max_count up to int.MaxValue with quotas off; server
/// fields past nova's 255-character limits (a 500 on MariaDB's strict mode); a name filter regex costing a second of
/// CPU; an RSA key generated before the key pair quota was checked; lists returning every server ever deleted. Each
/// is now a 4xx with nova's message, or bounded, and leaves nothing behind. Runs on SQLite and on MariaDB.
/// </summary>
[TestFixture(false, Category = "Integration")]
[TestFixture(true, Category = "Integration")]
public sealed class Bug0012_7_UnboundedRequests(bool mariaDb)
{
    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cloud = await ComputeApiCloud.StartAsync(mariaDb);
        foreach (var resource in new[] { "instances", "cores", "ram" })
        {
            await _cloud.Cloud.ManageAsync("project", "quota", "third", resource, "-1");
        }
        await _cloud.Cloud.ManageAsync("project", "quota", "third", "key_pairs", "0");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
    }

    private static string Long(int length) => new('x', length);

    private static IEnumerable<TestCaseData> OversizedServers()
    {
        yield return new TestCaseData("max_count", new Dictionary<string, object> { ["max_count"] = int.MaxValue }).SetArgDisplayNames("max_count int.MaxValue");
        yield return new TestCaseData("max_count", new Dictionary<string, object> { ["min_count"] = 1001 }).SetArgDisplayNames("min_count 1001");
        yield return new TestCaseData("name", new Dictionary<string, object> { ["name"] = Long(256) }).SetArgDisplayNames("name 256");
        yield return new TestCaseData("name", new Dictionary<string, object> { ["name"] = "tab\tname" }).SetArgDisplayNames("name with a control character");
        yield return new TestCaseData("metadata", new Dictionary<string, object> { ["metadata"] = new Dictionary<string, string> { [Long(256)] = "v" } }).SetArgDisplayNames("metadata key 256");
        yield return new TestCaseData("metadata", new Dictionary<string, object> { ["metadata"] = new Dictionary<string, string> { ["k"] = Long(256) } }).SetArgDisplayNames("metadata value 256");
        yield return new TestCaseData("key_name", new Dictionary<string, object> { ["key_name"] = Long(300) }).SetArgDisplayNames("key_name 300");
        yield return new TestCaseData("availability_zone", new Dictionary<string, object> { ["availability_zone"] = Long(300) }).SetArgDisplayNames("availability_zone 300");
        yield return new TestCaseData("security_groups", new Dictionary<string, object> { ["security_groups"] = new[] { new { name = Long(300) } } }).SetArgDisplayNames("security group 300");
    }

    [TestCaseSource(nameof(OversizedServers))]
    public async Task A_server_request_past_novas_limits_is_a_400_and_creates_nothing(string field, Dictionary<string, object> extra)
    {
        var token = await _cloud.TokenAsync("carol");
        var server = new Dictionary<string, object> { ["name"] = "big", ["imageRef"] = _cloud.ImageId, ["flavorRef"] = "1" };
        foreach (var (key, value) in extra)
        {
            server[key] = value;
        }

        var (status, body) = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", new { server });

        status.Should().Be(400, body);
        body.Should().Contain("\"badRequest\"").And.Contain(field);
        (await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/servers")).Body.Should().Be("{\"servers\":[]}");
    }

    [Test]
    public async Task Renaming_a_server_or_setting_metadata_past_the_limits_is_a_400()
    {
        var token = await _cloud.TokenAsync("alice");
        var id = await BootAsync(token, "limits");

        (await _cloud.NovaAsync(token, HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { name = Long(256) } })).Status.Should().Be(400);
        (await _cloud.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{id}/metadata", new { metadata = new Dictionary<string, string> { [Long(256)] = "v" } })).Status.Should().Be(400);
        (await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}/metadata")).Body.Should().Be("{\"metadata\":{}}");
        await DeleteAsync(token, id);
    }

    [TestCase("(")]
    [TestCase("(a)\\1")]
    [TestCase("(?<=a)b")]
    public async Task A_name_filter_that_is_no_regular_expression_the_cloud_runs_is_a_400(string pattern)
    {
        var token = await _cloud.TokenAsync("alice");

        var (status, body) = await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers?name={Uri.EscapeDataString(pattern)}");

        status.Should().Be(400, body);
        ComputeApiCloud.Json(body).GetProperty("badRequest").GetProperty("message").GetString().Should().StartWith("Invalid filter 'name'");
    }

    [Test]
    public async Task A_name_filter_longer_than_255_characters_is_a_400()
    {
        var token = await _cloud.TokenAsync("alice");

        var (status, body) = await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers?name={Long(256)}");

        status.Should().Be(400, body);
    }

    [Test]
    public async Task A_catastrophic_backtracking_pattern_costs_no_more_than_a_plain_one()
    {
        var token = await _cloud.TokenAsync("alice");
        var id = await BootAsync(token, new string('a', 60) + "!");
        var clock = Stopwatch.StartNew();

        var (status, body) = await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers?name={Uri.EscapeDataString("^(a+)+$")}");

        clock.Stop();
        status.Should().Be(200, body);
        body.Should().Be("{\"servers\":[]}");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "the pattern runs in linear time");
        await DeleteAsync(token, id);
    }

    [Test]
    public async Task A_key_pair_over_quota_is_refused_before_a_key_is_generated_and_none_is_stored()
    {
        var token = await _cloud.TokenAsync("carol");

        var (status, body) = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/os-keypairs", new { keypair = new { name = "one-too-many" } });

        status.Should().Be(403, body);
        body.Should().Contain("Quota exceeded for key_pairs").And.NotContain("private_key");
        (await _cloud.NovaAsync(token, HttpMethod.Get, "/v2.1/os-keypairs")).Body.Should().Be("{\"keypairs\":[]}");
    }

    [Test]
    public async Task Deleted_servers_are_listed_only_through_changes_since_or_an_admins_deleted_filter()
    {
        var alice = await _cloud.TokenAsync("alice");
        var admin = await _cloud.TokenAsync("berendt");
        var since = DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var gone = await BootAsync(alice, "gone");
        var kept = await BootAsync(alice, "kept");
        await DeleteAsync(alice, gone);

        (await NamesAsync(alice, "/v2.1/servers")).Should().Equal("kept");
        (await NamesAsync(alice, "/v2.1/servers?deleted=true")).Should().Equal(["kept"], "deleted is an admin-only filter, ignored for others as nova does");
        (await NamesAsync(admin, "/v2.1/servers?deleted=true&all_tenants=1")).Should().Contain("gone").And.NotContain("kept");
        (await NamesAsync(alice, $"/v2.1/servers?changes-since={since}")).Should().Contain("gone").And.Contain("kept");
        (await NamesAsync(alice, "/v2.1/servers?limit=1")).Should().HaveCount(1);
        (await NamesAsync(alice, $"/v2.1/servers?marker={kept}")).Should().BeEmpty();
        (await _cloud.NovaAsync(alice, HttpMethod.Get, $"/v2.1/servers?marker={Guid.NewGuid()}")).Status.Should().Be(400);
        (await _cloud.NovaAsync(alice, HttpMethod.Get, "/v2.1/servers?changes-since=yesterday")).Status.Should().Be(400);
        (await _cloud.AwsAsync("alice", "describe-instances", "--output", "text", "--query", "Reservations[].Instances[].State.Name")).Stdout
            .Should().Contain("terminated", "EC2 still shows an instance terminated within the hour");
        await DeleteAsync(alice, kept);
    }

    private async Task<List<string>> NamesAsync(string token, string path)
    {
        var (status, body) = await _cloud.NovaAsync(token, HttpMethod.Get, path);
        status.Should().Be(200, body);
        return [.. ComputeApiCloud.Json(body).GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];
    }

    private async Task<string> BootAsync(string token, string name)
    {
        var (status, body) = await _cloud.NovaAsync(token, HttpMethod.Post, "/v2.1/servers", new { server = new { name, imageRef = _cloud.ImageId, flavorRef = "1" } });
        status.Should().Be(202, body);
        var id = ComputeApiCloud.Json(body).GetProperty("server").GetProperty("id").GetString()!;
        await Poller.UntilAsync(async () => (await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}")).Body.Contains("\"status\":\"ACTIVE\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), $"server {name} to be ACTIVE");
        return id;
    }

    private async Task DeleteAsync(string token, string id)
    {
        (await _cloud.NovaAsync(token, HttpMethod.Delete, $"/v2.1/servers/{id}")).Status.Should().Be(204);
        await Poller.UntilAsync(async () => (await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}")).Status == 404,
            TimeSpan.FromSeconds(60), "the server to be deleted");
    }
}
