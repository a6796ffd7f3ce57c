using System.Diagnostics;
using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Volumes through their whole life on a real volume host (file driver, a private tgtd), driven by the real clients:
/// <c>openstack volume …</c> and <c>openstack volume snapshot …</c>, and <c>aws ec2 …-volume(s)/…-snapshot(s)</c>, with
/// another project kept out; and the benchmark of the issue (create → available, 100 volumes created and deleted at once).
/// </summary>
[TestFixture(Category = "Integration")]
[NonParallelizable]
public sealed class CinderClientTests
{
    private VolumeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await VolumeApiCloud.StartWithVolumeHostAsync("--iscsi_num_targets=200"); // the benchmark's 101 volumes

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
    }

    private async Task<string> OpenstackOkAsync(string user, params string[] args)
    {
        var run = await _cloud.Clients.OpenstackAsync(user, args);
        run.ExitCode.Should().Be(0, $"openstack {string.Join(' ', args)}: {run}\n{Tail(_cloud.Cloud.Logs)}");
        return run.Stdout.Trim();
    }

    private async Task<string> AwsOkAsync(string user, params string[] args)
    {
        var run = await _cloud.Clients.AwsAsync(user, args);
        run.ExitCode.Should().Be(0, $"aws ec2 {string.Join(' ', args)}: {run}\n{Tail(_cloud.Cloud.Logs)}");
        return run.Stdout.Trim();
    }

    private static string Tail(string logs) => logs[^Math.Min(logs.Length, 4000)..];

    /// <summary>Polls <c>openstack volume show|volume snapshot show</c> until the status is <paramref name="status"/>.</summary>
    private async Task UntilShownAsync(string user, string[] show, string status)
    {
        var last = "";
        await Poller.UntilAsync(async () =>
        {
            last = await OpenstackOkAsync(user, [.. show, "-f", "value", "-c", "status"]);
            return last == status || (last.StartsWith("error", StringComparison.Ordinal) ? throw new InvalidOperationException($"{string.Join(' ', show)}: {last}\n{Tail(_cloud.Cloud.Logs)}") : false);
        }, TimeSpan.FromSeconds(90), $"{string.Join(' ', show)} to be {status}");
    }

    [Test]
    public async Task Openstack_creates_extends_snapshots_copies_and_deletes_a_volume()
    {
        var created = JsonDocument.Parse(await OpenstackOkAsync("alice", "volume", "create", "--size", "1", "--availability-zone", "nova", "v1", "-f", "json")).RootElement;
        created.GetProperty("size").GetInt64().Should().Be(1);
        await UntilShownAsync("alice", ["volume", "show", "v1"], "available");
        (await OpenstackOkAsync("alice", "volume", "list", "-f", "value", "-c", "Name", "-c", "Status", "-c", "Size")).Should().Contain("v1 available 1");

        await OpenstackOkAsync("alice", "volume", "set", "--size", "2", "v1");
        await Poller.UntilAsync(async () =>
        {
            var shown = JsonDocument.Parse(await OpenstackOkAsync("alice", "volume", "show", "v1", "-f", "json")).RootElement;
            return shown.GetProperty("size").GetInt64() == 2 && shown.GetProperty("status").GetString() == "available";
        }, TimeSpan.FromSeconds(90), "v1 extended to 2 GB");

        await OpenstackOkAsync("alice", "volume", "snapshot", "create", "--volume", "v1", "s1");
        await UntilShownAsync("alice", ["volume", "snapshot", "show", "s1"], "available");
        (await OpenstackOkAsync("alice", "volume", "snapshot", "list", "-f", "value", "-c", "Name", "-c", "Status", "-c", "Size")).Should().Contain("s1 available 2");

        await OpenstackOkAsync("alice", "volume", "create", "--snapshot", "s1", "v2");
        await UntilShownAsync("alice", ["volume", "show", "v2"], "available");
        (await OpenstackOkAsync("alice", "volume", "show", "v2", "-f", "value", "-c", "size")).Should().Be("2");

        // carol (project third) sees none of it.
        (await _cloud.Clients.OpenstackAsync("carol", "volume", "show", "v1")).ExitCode.Should().NotBe(0);
        (await _cloud.Clients.OpenstackAsync("carol", "volume", "snapshot", "show", "s1")).ExitCode.Should().NotBe(0);
        var snapshotId = await OpenstackOkAsync("alice", "volume", "snapshot", "show", "s1", "-f", "value", "-c", "id");
        var stolen = await _cloud.CinderAsync("carol", HttpMethod.Post, "/volumes", new { volume = new { snapshot_id = snapshotId, name = "stolen" } });
        stolen.Status.Should().Be(404, stolen.ToString());
        (await _cloud.CinderAsync("carol", HttpMethod.Delete, $"/snapshots/{snapshotId}")).Status.Should().Be(404);

        var refused = await _cloud.Clients.OpenstackAsync("alice", "volume", "delete", "v1");
        refused.ExitCode.Should().NotBe(0, "v1 still has a snapshot");
        await OpenstackOkAsync("alice", "volume", "delete", "v2");
        await OpenstackOkAsync("alice", "volume", "snapshot", "delete", "s1");
        await Poller.UntilAsync(async () => (await OpenstackOkAsync("alice", "volume", "snapshot", "list", "-f", "value")).Length == 0, TimeSpan.FromSeconds(60), "s1 to go");
        await OpenstackOkAsync("alice", "volume", "delete", "v1");
        await Poller.UntilAsync(async () => (await OpenstackOkAsync("alice", "volume", "list", "-f", "value")).Length == 0, TimeSpan.FromSeconds(60), "v1 and v2 to go");
    }

    [Test]
    public async Task Awscli_creates_describes_snapshots_and_deletes_a_volume()
    {
        var volumeId = JsonDocument.Parse(await AwsOkAsync("carol", "create-volume", "--size", "1", "--availability-zone", "nova", "--output", "json"))
            .RootElement.GetProperty("VolumeId").GetString()!;
        await Poller.UntilAsync(async () => await AwsOkAsync("carol", "describe-volumes", "--volume-ids", volumeId, "--query", "Volumes[0].State", "--output", "text") == "available",
            TimeSpan.FromSeconds(90), $"{volumeId} to be available");
        var described = JsonDocument.Parse(await AwsOkAsync("carol", "describe-volumes", "--volume-ids", volumeId, "--output", "json")).RootElement.GetProperty("Volumes")[0];
        described.GetProperty("Size").GetInt32().Should().Be(1);
        described.GetProperty("AvailabilityZone").GetString().Should().Be("nova");
        described.GetProperty("Attachments").GetArrayLength().Should().Be(0);

        var snapshotId = JsonDocument.Parse(await AwsOkAsync("carol", "create-snapshot", "--volume-id", volumeId, "--description", "nightly", "--output", "json"))
            .RootElement.GetProperty("SnapshotId").GetString()!;
        snapshotId.Should().MatchRegex("^snap-[0-9a-f]{8}$");
        await Poller.UntilAsync(async () => await AwsOkAsync("carol", "describe-snapshots", "--snapshot-ids", snapshotId, "--query", "Snapshots[0].State", "--output", "text") == "completed",
            TimeSpan.FromSeconds(90), $"{snapshotId} to be completed");
        (await AwsOkAsync("carol", "describe-snapshots", "--output", "text")).Should().Contain(snapshotId).And.Contain(volumeId).And.Contain("nightly");
        (await _cloud.Clients.AwsAsync("alice", "delete-snapshot", "--snapshot-id", snapshotId)).Stderr.Should().Contain("InvalidSnapshot.NotFound");
        (await _cloud.Clients.AwsAsync("carol", "delete-volume", "--volume-id", volumeId)).Stderr.Should().Contain("IncorrectState", "the volume still has a snapshot");

        await AwsOkAsync("carol", "delete-snapshot", "--snapshot-id", snapshotId);
        await Poller.UntilAsync(async () => (await _cloud.Clients.AwsAsync("carol", "describe-snapshots", "--snapshot-ids", snapshotId)).Stderr.Contains("InvalidSnapshot.NotFound", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), $"{snapshotId} to go");
        await AwsOkAsync("carol", "delete-volume", "--volume-id", volumeId);
        await Poller.UntilAsync(async () => (await _cloud.Clients.AwsAsync("carol", "describe-volumes", "--volume-ids", volumeId)).Stderr.Contains("InvalidVolume.NotFound", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), $"{volumeId} to go");
    }

    [Test]
    public async Task Benchmark_create_to_available_and_a_hundred_volumes_created_and_deleted_at_once()
    {
        var (_, third) = await _cloud.LoginAsync("carol");
        var admin = await _cloud.LoginAsync("berendt");
        (await _cloud.CinderAsync("berendt", HttpMethod.Put, $"//v3/{admin.Project}/os-quota-sets/{third}", new { quota_set = new { volumes = 200 } })).Status.Should().Be(200);
        try
        {
            var single = Stopwatch.StartNew();
            var one = (await _cloud.CinderAsync("carol", HttpMethod.Post, "/volumes", new { volume = new { size = 1, name = "bench-one" } })).Json.GetProperty("volume").GetProperty("id").GetString()!;
            await _cloud.UntilStatusAsync("carol", "volumes", one, "available");
            var createToAvailable = single.Elapsed;

            var all = Stopwatch.StartNew();
            var created = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
                _cloud.CinderAsync("carol", HttpMethod.Post, "/volumes", new { volume = new { size = 1, name = $"bench-{i}" } })));
            created.Should().OnlyContain(c => c.Status == 202, string.Join('\n', created.Where(c => c.Status != 202).Take(3)));
            var ids = created.Select(c => c.Json.GetProperty("volume").GetProperty("id").GetString()!).ToList();
            var accepted = all.Elapsed;
            await Task.WhenAll(ids.Select(id => _cloud.UntilStatusAsync("carol", "volumes", id, "available", TimeSpan.FromMinutes(5))));
            var available = all.Elapsed;
            var deleted = await Task.WhenAll(ids.Append(one).Select(id => _cloud.CinderAsync("carol", HttpMethod.Delete, $"/volumes/{id}")));
            deleted.Should().OnlyContain(d => d.Status == 202);
            await Task.WhenAll(ids.Append(one).Select(id => _cloud.UntilStatusAsync("carol", "volumes", id, "deleted", TimeSpan.FromMinutes(5))));
            var gone = all.Elapsed;
            (await _cloud.Tgt.TargetIdsAsync()).Should().BeEmpty("every export went with its volume");

            TestContext.Progress.WriteLine(
                $"BENCHMARK volumes: create->available {createToAvailable.TotalMilliseconds:F0} ms; 100 volumes: accepted {accepted.TotalMilliseconds:F0} ms, "
                + $"all available {available.TotalMilliseconds:F0} ms, deleted and gone {(gone - available).TotalMilliseconds:F0} ms, total {gone.TotalMilliseconds:F0} ms");
        }
        finally
        {
            // Whatever a failed run left behind goes, so the other tests find the project empty.
            var left = (await _cloud.CinderAsync("carol", HttpMethod.Get, "/volumes")).Json.GetProperty("volumes").EnumerateArray()
                .Where(v => v.GetProperty("name").GetString()!.StartsWith("bench-", StringComparison.Ordinal)).Select(v => v.GetProperty("id").GetString()!).ToList();
            await Task.WhenAll(left.Select(id => _cloud.CinderAsync("carol", HttpMethod.Delete, $"/volumes/{id}")));
            await _cloud.CinderAsync("berendt", HttpMethod.Put, $"//v3/{admin.Project}/os-quota-sets/{third}", new { quota_set = new { volumes = 10 } });
        }
    }
}
