using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The seed's section 4.9 with the real awscli on the seed's multi-host layout (<see cref="TwoComputeHostsCloud"/> with
/// the volume role on the controller, file driver, exporting through a tgtd of this fixture's own: control port 61,
/// portal 127.0.0.1:3361 in the machine's namespace, imported into both compute hosts): a volume created, written by a
/// guest on cmp1 (zone1), detached, attached to a guest on cmp2 (zone2) that reads the data back, deleted; a new volume
/// on the same backing store reads zeros; snapshots; an attached volume cannot be deleted; another project's volume or
/// instance cannot be used; terminating gives the volume back.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class TwoComputeHostsVolumeTests
{
    private const int ControlPort = 61;
    private const int PortalPort = 3361;
    private const string Pattern = "SEED49-TWO-HOSTS";

    private TgtDaemon? _tgt;
    private TwoComputeHostsCloud? _hosts;

    private TestImageCloud Guests => _hosts!.Guests;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        TestEnv.RequireRoot();
        _tgt = await TgtDaemon.StartAsync(ControlPort, PortalPort);
        _hosts = await TwoComputeHostsCloud.StartWithVolumeHostAsync(_tgt);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        try
        {
            if (_hosts is not null)
            {
                await _hosts.DisposeAsync();
            }
        }
        finally
        {
            if (_tgt is not null)
            {
                await _tgt.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task A_volume_written_by_a_guest_on_one_host_is_read_by_a_guest_on_the_other_through_awscli()
    {
        var sequence = Stopwatch.StartNew();
        var created = ComputeApiCloud.Json(await Guests.AwsAsync("create-volume", "--size", "1", "--availability-zone", "nova", "--output", "json"));
        var volume = created.GetProperty("VolumeId").GetString()!;
        created.GetProperty("State").GetString().Should().Be("creating");
        var available = await VolumeIsAsync(volume, "available");
        available.GetProperty("Size").GetInt32().Should().Be(1);
        available.GetProperty("AvailabilityZone").GetString().Should().Be("nova");
        available.GetProperty("CreateTime").GetString().Should().NotBeNullOrEmpty();
        var uuid = await UuidOfAsync(volume);

        // On cmp1: attach to a running guest; it sees the disk with the volume's uuid as serial and writes the pattern.
        var writer = await RunAsync("zone1", $"volume-write={uuid[..8]}:{Pattern}");
        var attach = Stopwatch.StartNew();
        await Guests.AwsAsync("attach-volume", "--volume-id", volume, "--instance-id", writer, "--device", "/dev/vdb");
        var disk = (await Guests.ConsoleShowsAsync(writer, $@"TINYVM: disk (vd[a-z]) serial={uuid[..20]} size={1L << 30}")).Groups[1].Value;
        var visible = attach.Elapsed;
        await Guests.ConsoleShowsAsync(writer, $"TINYVM: disk {disk} wrote");
        var attachment = (await VolumeIsAsync(volume, "in-use")).GetProperty("Attachments")[0];
        attachment.GetProperty("InstanceId").GetString().Should().Be(writer);
        attachment.GetProperty("Device").GetString().Should().Be("/dev/vdb");
        attachment.GetProperty("State").GetString().Should().Be("attached");

        var refused = await Guests.Compute.AwsAsync("alice", "delete-volume", "--volume-id", volume);
        refused.ExitCode.Should().NotBe(0, "an attached volume cannot be deleted");
        refused.Stderr.Should().MatchRegex(@"\((VolumeInUse|IncorrectState)\) .*: \S");
        await VolumeIsAsync(volume, "in-use");
        await AnotherProjectGetsNothingAsync(volume, writer);

        await Guests.AwsAsync("detach-volume", "--volume-id", volume);
        await VolumeIsAsync(volume, "available");
        await Guests.ConsoleShowsAsync(writer, $"TINYVM: disk {disk} removed");
        await SnapshotRoundTripAsync(volume);

        // On cmp2: the data crossed hosts.
        var reader = await RunAsync("zone2", "");
        (await HostOfAsync(reader)).Should().Be("cmp2");
        await Guests.AwsAsync("attach-volume", "--volume-id", volume, "--instance-id", reader, "--device", "/dev/vdb");
        var readerDisk = (await Guests.ConsoleShowsAsync(reader, $@"TINYVM: disk (vd[a-z]) serial={uuid[..20]}")).Groups[1].Value;
        await Guests.ConsoleShowsAsync(reader, $"TINYVM: disk {readerDisk} head={Pattern}");
        await Guests.AwsAsync("detach-volume", "--volume-id", volume);
        await VolumeIsAsync(volume, "available");
        await Guests.ConsoleShowsAsync(reader, $"TINYVM: disk {readerDisk} removed");
        await Guests.AwsAsync("delete-volume", "--volume-id", volume);
        await VolumeIsAsync(volume, "deleted");

        // The next volume takes the same backing store name space: it must not show the old data.
        var fresh = ComputeApiCloud.Json(await Guests.AwsAsync("create-volume", "--size", "1", "--availability-zone", "nova", "--output", "json")).GetProperty("VolumeId").GetString()!;
        await VolumeIsAsync(fresh, "available");
        var freshUuid = await UuidOfAsync(fresh);
        await Guests.AwsAsync("attach-volume", "--volume-id", fresh, "--instance-id", reader, "--device", "/dev/vdb");
        var freshDisk = (await Guests.ConsoleShowsAsync(reader, $@"TINYVM: disk (vd[a-z]) serial={freshUuid[..20]}")).Groups[1].Value;
        await Guests.ConsoleShowsAsync(reader, $"TINYVM: disk {freshDisk} head=.* hex={new string('0', 64)}");

        // Terminating gives the attached volume back.
        await Guests.AwsAsync("terminate-instances", "--instance-ids", writer, reader);
        foreach (var id in new[] { writer, reader })
        {
            await Guests.StateIsAsync(id, "terminated");
        }
        (await VolumeIsAsync(fresh, "available")).GetProperty("Attachments").GetArrayLength().Should().Be(0);
        await Guests.AwsAsync("delete-volume", "--volume-id", fresh);
        await VolumeIsAsync(fresh, "deleted");
        TestContext.Out.WriteLine($"attach-volume → disk visible in the guest's console: {visible.TotalSeconds:0.0} s; whole 4.9 sequence: {sequence.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>carol (project third) can neither attach alice's volume nor attach her own to alice's instance; nothing changes.</summary>
    private async Task AnotherProjectGetsNothingAsync(string alicesVolume, string alicesInstance)
    {
        var carols = ComputeApiCloud.Json((await CarolAsync("create-volume", "--size", "1", "--availability-zone", "nova", "--output", "json")).Stdout).GetProperty("VolumeId").GetString()!;
        await Poller.UntilAsync(async () => (await CarolAsync("describe-volumes", "--volume-ids", carols, "--query", "Volumes[0].State", "--output", "text")).Stdout.Trim() == "available",
            TimeSpan.FromSeconds(60), $"carol's volume {carols} to be available");

        (await CarolAsync("attach-volume", "--volume-id", alicesVolume, "--instance-id", alicesInstance, "--device", "/dev/vdc")).Stderr.Should().Contain("InvalidVolume.NotFound");
        (await CarolAsync("attach-volume", "--volume-id", carols, "--instance-id", alicesInstance, "--device", "/dev/vdc")).Stderr.Should().Contain("InvalidInstanceID.NotFound");
        (await Guests.Compute.AwsAsync("alice", "attach-volume", "--volume-id", carols, "--instance-id", alicesInstance, "--device", "/dev/vdc")).Stderr.Should().Contain("InvalidVolume.NotFound");

        (await CarolAsync("describe-volumes", "--volume-ids", carols, "--query", "Volumes[0].State", "--output", "text")).Stdout.Trim().Should().Be("available");
        (await VolumeIsAsync(alicesVolume, "in-use")).GetProperty("Attachments")[0].GetProperty("InstanceId").GetString().Should().Be(alicesInstance);
        (await CarolAsync("delete-volume", "--volume-id", carols)).ExitCode.Should().Be(0);
    }

    private async Task SnapshotRoundTripAsync(string volume)
    {
        var snapshot = ComputeApiCloud.Json(await Guests.AwsAsync("create-snapshot", "--volume-id", volume, "--description", "seed49", "--output", "json")).GetProperty("SnapshotId").GetString()!;
        await Poller.UntilAsync(async () => await Guests.AwsAsync("describe-snapshots", "--snapshot-ids", snapshot, "--query", "Snapshots[0].State", "--output", "text") == "completed",
            TimeSpan.FromSeconds(120), $"snapshot {snapshot} to be completed");
        var shown = ComputeApiCloud.Json(await Guests.AwsAsync("describe-snapshots", "--snapshot-ids", snapshot, "--output", "json")).GetProperty("Snapshots")[0];
        shown.GetProperty("VolumeId").GetString().Should().Be(volume);
        shown.GetProperty("Description").GetString().Should().Be("seed49");
        await Guests.AwsAsync("delete-snapshot", "--snapshot-id", snapshot);
        await Poller.UntilAsync(async () => (await Guests.Compute.AwsAsync("alice", "describe-snapshots", "--snapshot-ids", snapshot)).Stderr.Contains("InvalidSnapshot.NotFound", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), $"snapshot {snapshot} to be gone");
    }

    private async Task<string> RunAsync(string zone, string userData)
    {
        // The guest reads its user data line by line: the last directive needs its newline.
        string[] data = userData.Length == 0 ? [] : ["--user-data", userData + "\n"];
        var id = (await Guests.RunAsync(["--placement", $"AvailabilityZone={zone}", .. data])).Single();
        await Guests.ConsoleShowsAsync(id, "TINYVM: READY");
        return id;
    }

    /// <summary>describe-volumes until the volume is in <paramref name="state"/> ("deleted": InvalidVolume.NotFound); returns it as shown.</summary>
    private async Task<JsonElement> VolumeIsAsync(string volume, string state)
    {
        JsonElement shown = default;
        var now = "";
        await Poller.UntilAsync(async () =>
        {
            var run = await Guests.Compute.AwsAsync("alice", "describe-volumes", "--volume-ids", volume, "--output", "json");
            if (run.ExitCode != 0)
            {
                now = run.Stderr;
                return state == "deleted" && run.Stderr.Contains("InvalidVolume.NotFound", StringComparison.Ordinal);
            }
            shown = ComputeApiCloud.Json(run.Stdout).GetProperty("Volumes")[0];
            now = shown.GetProperty("State").GetString()!;
            return now == state || now == "error";
        }, TimeSpan.FromSeconds(120), $"volume {volume} to be {state}");
        if (state != "deleted")
        {
            now.Should().Be(state);
        }
        return shown;
    }

    private Task<ToolRun> CarolAsync(params string[] args) => Guests.Compute.AwsAsync("carol", args);

    private async Task<string> UuidOfAsync(string ec2Volume)
    {
        var id = int.Parse(ec2Volume["vol-".Length..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        await using var c = await Guests.Db.OpenAsync(default);
        return await c.QuerySingleAsync<string>("SELECT uuid FROM volumes WHERE id = @Id", new { Id = id });
    }

    private async Task<string> HostOfAsync(string ec2Instance)
    {
        var uuid = await Guests.UuidOfAsync(ec2Instance);
        await using var c = await Guests.Db.OpenAsync(default);
        return await c.QuerySingleAsync<string>("SELECT host FROM instances WHERE uuid = @Uuid", new { Uuid = uuid });
    }
}
