using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Identity;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel.Db;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 6: any user could mint and revoke tokens endlessly, growing the revocation table that every api
/// process reloaded whole every 2 s; wrong passwords cost a PBKDF2 run each with no throttle; and unknown users
/// were answered at once (user enumeration by timing). Now revocations are capped per user (collapsing into a
/// "every token issued before now" event), loaded incrementally, failed logins are throttled per user name and per
/// address, and an unknown user costs the same PBKDF2 run as a wrong password.
/// </summary>
[NonParallelizable]
[Category("Integration")]
public sealed class Bug0012_06_CheapDenialOfService
{
    private static Task<ApiCloud> StartAsync(params string[] flags) => ApiCloud.StartAsync(null, "api", flags);

    [Test]
    public async Task Revoking_tokens_endlessly_keeps_at_most_the_cap_of_events_per_user()
    {
        await using var cloud = await StartAsync("--max_token_revocations_per_user=5");
        using var http = new HttpClient();
        var kept = await IssueAsync(http, cloud, "alice", ApiCloud.UserPassword);

        for (var i = 0; i < 23; i++)
        {
            var token = await IssueAsync(http, cloud, "alice", ApiCloud.UserPassword);
            (await SendAsync(http, cloud, HttpMethod.Delete, token, token)).Should().Be(HttpStatusCode.NoContent);
            (await SendAsync(http, cloud, HttpMethod.Get, token, token)).Should().Be(HttpStatusCode.Unauthorized, "a revoked token is gone");
        }

        await using var c = await DbConnectionFactory.FromUrl(cloud.SqlConnection).OpenAsync(default);
        var alice = await c.ExecuteScalarAsync<string>("SELECT id FROM users WHERE name = 'alice'");
        var events = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM token_revocations WHERE user_id = @Id OR (kind = 'user' AND subject = @Id)", new { Id = alice });
        events.Should().BeLessThanOrEqualTo(6, "five single-token events and one user-wide event at most");
        (await SendAsync(http, cloud, HttpMethod.Get, kept, kept)).Should().NotBe(HttpStatusCode.OK, "past the cap, every token issued before is ended, as keystone does");
        var fresh = await IssueAsync(http, cloud, "alice", ApiCloud.UserPassword);
        (await SendAsync(http, cloud, HttpMethod.Get, fresh, fresh)).Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task Every_process_reads_only_the_revocations_recorded_since_its_last_reload()
    {
        await using var harness = new SqliteHarness();
        await new MigrationRunner(harness.Db, NullLogger<MigrationRunner>.Instance).SyncAsync(default);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var flags = Options.Create(new IdentityFlags { TokenRevocationRefresh = 2 });
        var writer = new TokenRevocations(harness.Db, flags, clock);
        var reader = new TokenRevocations(harness.Db, flags, clock);
        for (var i = 0; i < 200; i++)
        {
            await writer.RevokeAsync(TokenRevocations.AuditKind, $"audit-{i}", default, $"user-{i}");
        }
        clock.Advance(TimeSpan.FromMinutes(1));
        var token = new TokenPayload("user-x", "x", null, null, [], ["password"], clock.GetUtcNow().UtcDateTime, clock.GetUtcNow().UtcDateTime.AddHours(1), "audit-new");
        (await reader.IsRevokedAsync(token, default)).Should().BeFalse();
        reader.LastLoadedRows.Should().Be(200, "a process starts with every event that still matters");

        clock.Advance(TimeSpan.FromMinutes(5));
        await writer.RevokeAsync(TokenRevocations.AuditKind, "audit-new", default, "user-x");
        clock.Advance(TimeSpan.FromSeconds(3));

        (await reader.IsRevokedAsync(token, default)).Should().BeTrue("the other process's revocation is honoured");
        reader.LastLoadedRows.Should().Be(1, "only the new event is read, not the whole table");
    }

    [Test]
    public async Task Failed_logins_are_throttled_per_user_name_and_per_address()
    {
        await using var cloud = await StartAsync("--login_failure_limit=3", "--login_failure_limit_per_address=8", "--login_failure_window=300");
        using var http = new HttpClient();

        for (var i = 0; i < 3; i++)
        {
            (await LoginAsync(http, cloud, "alice", "guess-" + i)).Status.Should().Be(HttpStatusCode.Unauthorized);
        }
        var throttled = await LoginAsync(http, cloud, "alice", ApiCloud.UserPassword);

        throttled.Status.Should().Be(HttpStatusCode.Unauthorized, "the right password no longer helps once the name is over its limit");
        throttled.Body.Should().Contain("The request you have made requires authentication.");
        (await LoginAsync(http, cloud, "berendt", ApiCloud.AdminPassword)).Status.Should().Be(HttpStatusCode.Created, "another user is not locked out");

        for (var i = 0; i < 5; i++)
        {
            (await LoginAsync(http, cloud, $"nobody{i}", "guess")).Status.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await LoginAsync(http, cloud, "berendt", ApiCloud.AdminPassword)).Status.Should().Be(HttpStatusCode.Unauthorized, "the address is over its limit");
    }

    [Test]
    public async Task An_unknown_user_is_answered_no_faster_than_a_wrong_password()
    {
        await using var cloud = await StartAsync("--login_failure_limit=0", "--login_failure_limit_per_address=0");
        using var http = new HttpClient();
        await LoginAsync(http, cloud, "nobody-warmup", "x");

        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            known.Add((await LoginAsync(http, cloud, "alice", "wrong-" + i)).Elapsed.TotalMilliseconds);
            unknown.Add((await LoginAsync(http, cloud, "nobody-" + i, "wrong-" + i)).Elapsed.TotalMilliseconds);
        }

        var (knownMedian, unknownMedian) = (known.Order().ElementAt(3), unknown.Order().ElementAt(3));
        unknownMedian.Should().BeGreaterThan(knownMedian * 0.5, $"unknown {unknownMedian:0} ms vs wrong password {knownMedian:0} ms");
    }

    private static async Task<(HttpStatusCode Status, string Body, TimeSpan Elapsed, string? Token)> LoginAsync(HttpClient http, ApiCloud cloud, string user, string password)
    {
        var body = JsonSerializer.Serialize(new
        {
            auth = new { identity = new { methods = new[] { "password" }, password = new { user = new { name = user, domain = new { id = "default" }, password } } } },
        });
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsync($"{cloud.KeystoneUrl}/v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text, watch.Elapsed, response.Headers.TryGetValues("X-Subject-Token", out var token) ? token.Single() : null);
    }

    private static async Task<string> IssueAsync(HttpClient http, ApiCloud cloud, string user, string password)
    {
        var login = await LoginAsync(http, cloud, user, password);
        login.Status.Should().Be(HttpStatusCode.Created, login.Body);
        return login.Token!;
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient http, ApiCloud cloud, HttpMethod method, string auth, string subject)
    {
        using var request = new HttpRequestMessage(method, $"{cloud.KeystoneUrl}/v3/auth/tokens");
        request.Headers.Add("X-Auth-Token", auth);
        request.Headers.Add("X-Subject-Token", subject);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
