using System.Globalization;
using Cloud.Tests.Support;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Issue 15, item 6: hostile input never gets a 5xx. Each API of one all-in-one cloudd (<see cref="FuzzCloud"/>, SQLite
/// and the in-process bus) gets <see cref="Cases"/> requests mutated from its valid ones (<see cref="FuzzSeeds"/>,
/// <see cref="FuzzMutator"/>): odd path segments and ids, unicode, NUL and broken %-escapes, huge and negative numbers,
/// wrong JSON types, deep nesting, long strings, bad headers and content types, truncated bodies, duplicate query
/// parameters, every verb on every route. No answer may be a 5xx, show a stack trace or an exception's type, or take
/// longer than <see cref="FuzzRunner.Timeout"/>; afterwards every resource made before still reads back, the lists
/// answer, and SQLite's integrity check passes. A failure names the API, case number, method, escaped path, headers,
/// body prefix and status, so it replays by hand.
/// For a longer run: <c>CLOUD_FUZZ_CASES=100000 CLOUD_FUZZ_SEED=7 dotnet test --filter FullyQualifiedName~FuzzTests</c>
/// (cases per API, default 10,000; seed default 15; each API's cases depend only on the seed and the API).
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class FuzzTests
{
    private static readonly int Cases = int.Parse(Environment.GetEnvironmentVariable("CLOUD_FUZZ_CASES") ?? "10000", CultureInfo.InvariantCulture);

    private static readonly int Seed = int.Parse(Environment.GetEnvironmentVariable("CLOUD_FUZZ_SEED") ?? "15", CultureInfo.InvariantCulture);

    private FuzzCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await FuzzCloud.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    [Test]
    public Task Keystone_v3_and_v2_0_answer_hostile_requests_without_a_server_error() =>
        FuzzAsync("keystone", _cloud.Cloud.KeystoneUrl, FuzzSeeds.Keystone(_cloud), Token(_cloud.AdminToken));

    [Test]
    public Task Compute_answers_hostile_requests_without_a_server_error() =>
        FuzzAsync("compute", _cloud.Cloud.ComputeUrl, FuzzSeeds.Compute(_cloud), Token(_cloud.AdminToken));

    [Test]
    public Task Glance_v2_answers_hostile_requests_without_a_server_error() =>
        FuzzAsync("glance-v2", _cloud.Cloud.GlanceUrl, FuzzSeeds.GlanceV2(_cloud), Token(_cloud.AdminToken));

    [Test]
    public Task Glance_v1_answers_hostile_requests_without_a_server_error() =>
        FuzzAsync("glance-v1", _cloud.Cloud.GlanceUrl, FuzzSeeds.GlanceV1(_cloud), Token(_cloud.AdminToken));

    [Test]
    public Task Swift_proxy_answers_hostile_requests_without_a_server_error() =>
        FuzzAsync("swift", _cloud.SwiftUrl, FuzzSeeds.Swift(), Token(_cloud.SwiftToken));

    [Test]
    public Task Metadata_service_answers_hostile_requests_from_a_guest_without_a_server_error() =>
        FuzzAsync("metadata", _cloud.Cloud.MetadataUrl, FuzzSeeds.Metadata(), [], FuzzCloud.GuestAddress);

    [Test]
    public Task Ec2_answers_hostile_signed_requests_without_a_server_error()
    {
        var url = new Uri(_cloud.Cloud.Ec2Url);
        var signer = new FuzzEc2Signer(url.Authority, _cloud.Ec2Keys.AccessKey, _cloud.Ec2Keys.SecretKey);
        return FuzzAsync("ec2", $"{url.Scheme}://{url.Authority}", FuzzSeeds.Ec2(_cloud), [], sign: signer.Sign);
    }

    private static (string, string)[] Token(string token) => [("X-Auth-Token", token)];

    private async Task FuzzAsync(string api, string baseUrl, IReadOnlyList<FuzzSeed> seeds, IReadOnlyList<(string, string)> auth, string? source = null,
        Func<FuzzCase, FuzzCase>? sign = null)
    {
        // The API's name is part of the seed so each API's cases stay the same when another API's seeds change.
        var mutator = new FuzzMutator(new Random(Seed * 7919 + api.Sum(c => c)));
        var cases = Enumerable.Range(0, Cases).Select(i => mutator.Mutate(api, i, seeds[i % seeds.Count])).Select(sign ?? (c => c)).ToList();
        using var runner = new FuzzRunner(baseUrl, auth, source);
        var failures = await runner.RunAsync(cases);
        var problems = await _cloud.InconsistenciesAsync();
        var summary = $"{api}: {Cases} cases (seed {Seed}), answers by class {string.Join(", ", runner.StatusClasses.OrderBy(p => p.Key).Select(p => $"{p.Key}xx={p.Value}"))}, "
            + $"{runner.Unsendable} not sendable by HttpClient, {failures.Count} failures";
        TestContext.Out.WriteLine(summary);
        if (failures.Count > 0 || problems.Count > 0)
        {
            Assert.Fail($"{summary}; first ones:\n{string.Join('\n', failures.Take(25))}\n{string.Join('\n', problems)}\nlogged errors:\n{_cloud.LoggedErrors()}");
        }
    }
}
