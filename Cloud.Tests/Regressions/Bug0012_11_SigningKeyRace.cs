using System.Net;
using System.Text;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel.Db;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 11: api processes starting together could each insert and cache a different token signing key
/// (each took "the oldest" row it could see at that moment), so tokens failed across processes until a restart.
/// The key is now one row with a fixed id: every process inserts it only if absent and re-reads what the database holds.
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
[NonParallelizable]
public sealed class Bug0012_11_SigningKeyRace<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;

    [SetUp]
    public async Task CreateAsync()
    {
        _harness = new THarness();
        await new MigrationRunner(_harness.Db, NullLogger<MigrationRunner>.Instance).SyncAsync(default);
    }

    [TearDown]
    public async Task DropAsync() => await _harness.DisposeAsync();

    private static TokenPayload Payload(int i) =>
        new($"user-{i}", $"user{i}", null, null, [], ["password"], DateTime.UtcNow, DateTime.UtcNow.AddHours(1), $"audit-{i}");

    [Test]
    public async Task Signers_of_many_processes_starting_at_once_all_sign_with_one_key()
    {
        const int starters = 12;
        // Each signer has its own connection factory and pool, as separate processes do.
        var signers = Enumerable.Range(0, starters).Select(_ => new TokenSigner(DbConnectionFactory.FromUrl(_harness.SqlConnection))).ToList();
        using var start = new Barrier(starters);

        var tokens = await Task.WhenAll(signers.Select((signer, i) => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await signer.SignAsync(Payload(i), CancellationToken.None);
        })));

        foreach (var signer in signers)
        {
            foreach (var (token, i) in tokens.Select((t, i) => (t, i)))
            {
                (await signer.ReadAsync(token, default)).Should().NotBeNull($"token {i} must verify in every process")
                    .And.Subject.As<TokenPayload>().UserId.Should().Be($"user-{i}");
            }
        }
        await using var c = await _harness.Db.OpenAsync(default);
        (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM token_signing_keys")).Should().Be(1);
    }

    [Test]
    public async Task A_key_made_before_the_fix_is_carried_over_so_its_tokens_stay_valid()
    {
        var legacyKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        await using (var c = await _harness.Db.OpenAsync(default))
        {
            await c.ExecuteAsync("INSERT INTO token_signing_keys (id, secret, created_at) VALUES ('0a1b', @Secret, @Now)",
                new { Secret = legacyKey, Now = DateTime.UtcNow.AddDays(-1) });
            await c.ExecuteAsync("INSERT INTO token_signing_keys (id, secret, created_at) VALUES ('ffff', 'AAAA', @Now)", new { Now = DateTime.UtcNow });
        }
        var signer = new TokenSigner(DbConnectionFactory.FromUrl(_harness.SqlConnection));
        var token = await signer.SignAsync(Payload(1), default);

        await using var check = await _harness.Db.OpenAsync(default);
        (await check.ExecuteScalarAsync<string>("SELECT secret FROM token_signing_keys WHERE id = 'current'")).Should().Be(legacyKey);
        (await new TokenSigner(DbConnectionFactory.FromUrl(_harness.SqlConnection)).ReadAsync(token, default)).Should().NotBeNull();
    }

    [Test]
    [Category("Integration")]
    public async Task Two_real_api_processes_on_one_database_accept_each_others_tokens()
    {
        await using var first = await ApiCloud.StartAsync(_harness.SqlConnection);
        using var logs = new TempDir();
        var keystone = FreePort.Next();
        string[] secondFlags =
        [
            "--roles=api",
            .. first.Flags.Select(f => f.Split('=', 2) switch
            {
                [var name, _] when name.EndsWith("_port", StringComparison.Ordinal) => name == "--keystone_port" ? $"{name}={keystone}" : $"{name}={FreePort.Next()}",
                ["--glance_api_servers", _] => f,
                ["--logdir", _] => $"--logdir={logs.Path}",
                _ => f,
            }),
        ];
        await using var second = CloudProcess.Start(secondFlags);
        var secondUrl = $"http://127.0.0.1:{keystone}";
        using var http = new HttpClient();
        await Poller.UntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync($"{secondUrl}/v3")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return second.HasExited ? throw new InvalidOperationException(second.Output) : false;
            }
        }, TimeSpan.FromSeconds(60), "the second api process to answer");

        // Both processes make (or find) the key at once, on their first token.
        var issued = await Task.WhenAll(IssueAsync(http, first.KeystoneUrl), IssueAsync(http, secondUrl));

        (await ValidateAsync(http, secondUrl, issued[0])).Should().Be(HttpStatusCode.OK, "the first process's token is valid at the second");
        (await ValidateAsync(http, first.KeystoneUrl, issued[1])).Should().Be(HttpStatusCode.OK, "the second process's token is valid at the first");
    }

    private static async Task<string> IssueAsync(HttpClient http, string keystone)
    {
        var body = $"{{\"auth\": {{\"identity\": {{\"methods\": [\"password\"], \"password\": {{\"user\": {{\"name\": \"alice\", \"domain\": {{\"id\": \"default\"}}, \"password\": \"{ApiCloud.UserPassword}\"}}}}}}}}}}";
        using var response = await http.PostAsync($"{keystone}/v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return response.Headers.GetValues("X-Subject-Token").Single();
    }

    private static async Task<HttpStatusCode> ValidateAsync(HttpClient http, string keystone, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{keystone}/v3/auth/tokens");
        request.Headers.Add("X-Auth-Token", token);
        request.Headers.Add("X-Subject-Token", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
