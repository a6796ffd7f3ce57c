using System.Diagnostics;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Volumes on a whole cloud with real guests (<see cref="RealCloud"/> plus the volume role: file-backed volumes exported
/// by a tgtd of this fixture's own in the host's namespace, control port 32, portal 127.0.0.1:3332), driven with the real
/// <c>openstack</c> client and nova's API: the seed's 4.9 sequence (attach, write, detach, attach elsewhere, the data is
/// there), an in-use volume that cannot be deleted, block device mappings at boot, boot from volume, terminate giving
/// volumes back, and a volume host restarted (its exports gone and rebuilt) under a guest that keeps writing.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class RealVolumeTests
{
    private const int ControlPort = 32;
    private const int PortalPort = 3332;
    private const string Pattern = "SEED49-PATTERN";

    private RealCloud _cloud = null!;
    private TgtDaemon? _tgt;

    private TestImageCloud Guests => _cloud.Guests;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        TestEnv.RequireRoot();
        _cloud = await RealCloud.StartAsync("vol", "volume", async host => _tgt = await TgtDaemon.StartAsync(ControlPort, PortalPort, host.Namespace),
            "--iscsi_ip_address=127.0.0.1", $"--iscsi_port={PortalPort}", $"--tgt_control_port={ControlPort}");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        try
        {
            if (_cloud is not null)
            {
                await _cloud.DisposeAsync();
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
    public async Task A_volume_written_on_one_guest_is_read_back_on_another_after_detach_and_survives_its_host_restarting()
    {
        var volume = await CreateVolumeAsync("seed49");
        var data = await CreateVolumeAsync("mapped");
        var first = await BootAsync("writer", $"volume-write={volume[..8]}:{Pattern}");
        var second = await BootWithMappingAsync("reader", data);

        // Attach to a running guest: it sees the disk with the volume's uuid as serial, reads zeros, writes the pattern.
        var clock = Stopwatch.StartNew();
        await Guests.OpenstackAsync("alice", "server", "add", "volume", first.Uuid, volume, "--device", "/dev/vdb");
        var disk = await Guests.ConsoleShowsAsync(first.Ec2, $@"TINYVM: disk (vd[a-z]) serial={volume[..20]} size={1L << 30}");
        TestContext.Out.WriteLine($"attach → visible in the guest (openstack server add volume to the console line): {clock.Elapsed.TotalSeconds:0.0} s");
        var dev = disk.Groups[1].Value;
        await Guests.ConsoleShowsAsync(first.Ec2, $"TINYVM: disk {dev} head=.* hex={new string('0', 64)}");
        await Guests.ConsoleShowsAsync(first.Ec2, $"TINYVM: disk {dev} wrote");
        await StatusIsAsync(volume, "in-use");
        (await Guests.OpenstackAsync("alice", "server", "show", first.Uuid, "-f", "json", "-c", "volumes_attached")).Should().Contain(volume);
        var refused = await Guests.Compute.OpenstackAsync("alice", "volume", "delete", volume);
        refused.ExitCode.Should().NotBe(0, "a volume in use cannot be deleted");
        await StatusIsAsync(volume, "in-use");

        await Guests.OpenstackAsync("alice", "server", "remove", "volume", first.Uuid, volume);
        await StatusIsAsync(volume, "available");
        await Guests.ConsoleShowsAsync(first.Ec2, $"TINYVM: disk {dev} removed");

        // The second guest booted with a mapped data disk; the first volume joins it, pattern and all.
        await Guests.ConsoleShowsAsync(second.Ec2, $"TINYVM: disk vd[a-z] serial={data[..20]}");
        await StatusIsAsync(data, "in-use");
        var (status, body) = await NovaAsync(HttpMethod.Post, $"/v2.1/servers/{second.Uuid}/os-volume_attachments", new { volumeAttachment = new { volumeId = volume } });
        status.Should().Be(200, body);
        ComputeApiCloud.Json(body).GetProperty("volumeAttachment").GetProperty("device").GetString().Should().Be("/dev/vdc");
        var reattached = await Guests.ConsoleShowsAsync(second.Ec2, $@"TINYVM: disk (vd[a-z]) serial={volume[..20]}");
        await Guests.ConsoleShowsAsync(second.Ec2, $"TINYVM: disk {reattached.Groups[1].Value} head={Pattern}");
        await StatusIsAsync(volume, "in-use");

        // The whole cloudd (volume host included) dies and tgtd loses the export; back up, the volume role rebuilds it
        // and the guest, whose QEMU reconnects, writes and reads its disk again.
        var address = (await Guests.ConsoleShowsAsync(second.Ec2, @"TINYVM: READY ip=(\S+)")).Groups[1].Value;
        var guestDev = reattached.Groups[1].Value;
        await _cloud.Api.RestartAsync(async () =>
        {
            foreach (var tid in await _tgt!.TargetIdsAsync())
            {
                await _tgt.AdmOkAsync("--op", "delete", "--force", "--mode", "target", "--tid", $"{tid}");
            }
        });
        await _cloud.UntilAsync(async () => (await _tgt!.TargetIdsAsync()).Count == 2, "the volume role to rebuild both exports");
        await _cloud.UntilAsync(async () => (await _cloud.SshAsync(address,
            $"dd if=/dev/zero of=/dev/{guestDev} bs=4096 seek=100 count=1 oflag=direct conv=fsync && dd if=/dev/{guestDev} bs=32 count=1 iflag=direct")).Stdout.Contains(Pattern, StringComparison.Ordinal),
            "the guest to write and read its volume after the export was rebuilt");

        // Terminating gives volumes back: the attached one available, the mapped one (delete_on_termination) deleted.
        await Guests.OpenstackAsync("alice", "server", "delete", "--wait", first.Uuid, second.Uuid);
        await StatusIsAsync(volume, "available");
        await _cloud.UntilAsync(async () => (await Guests.Compute.OpenstackAsync("alice", "volume", "show", data)).ExitCode != 0, "the mapped volume, delete_on_termination, to be deleted");
        await Guests.OpenstackAsync("alice", "volume", "delete", volume);
    }

    [Test]
    public async Task A_server_booted_from_a_volume_has_the_volume_as_its_root_disk()
    {
        var root = await CreateVolumeAsync("root");
        var (status, body) = await NovaAsync(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new
            {
                name = "bfv",
                flavorRef = "1",
                imageRef = Guests.MachineImageId,
                key_name = TestImageCloud.KeyName,
                block_device_mapping_v2 = new[] { new { source_type = "volume", destination_type = "volume", uuid = root, boot_index = 0, delete_on_termination = false } },
            },
        });
        status.Should().Be(202, body);
        var uuid = ComputeApiCloud.Json(body).GetProperty("server").GetProperty("id").GetString()!;
        var ec2 = await Guests.Ec2IdOfAsync(uuid);

        await Guests.ConsoleShowsAsync(ec2, $"TINYVM: disk vda serial={root[..20]} size={1L << 30}");
        await StatusIsAsync(root, "in-use");
        var (_, server) = await NovaAsync(HttpMethod.Get, $"/v2.1/servers/{uuid}");
        ComputeApiCloud.Json(server).GetProperty("server").GetProperty("image").GetString().Should().BeEmpty("a server booted from a volume has no image");
        var (detach, why) = await NovaAsync(HttpMethod.Delete, $"/v2.1/servers/{uuid}/os-volume_attachments/{root}");
        detach.Should().Be(400, why);

        await Guests.OpenstackAsync("alice", "server", "delete", "--wait", uuid);
        await StatusIsAsync(root, "available");
        await Guests.OpenstackAsync("alice", "volume", "delete", root);
    }

    private async Task<string> CreateVolumeAsync(string name)
    {
        var id = await Guests.OpenstackAsync("alice", "volume", "create", "--size", "1", "-f", "value", "-c", "id", name);
        await StatusIsAsync(id, "available");
        return id;
    }

    private async Task<(string Uuid, string Ec2)> BootAsync(string name, string userData)
    {
        var file = Path.Combine(Guests.Compute.Home, $"{name}.user-data");
        await File.WriteAllTextAsync(file, userData + "\n");
        var uuid = await Guests.OpenstackAsync("alice", "server", "create", "--image", Guests.MachineImageId, "--flavor", "m1.tiny",
            "--key-name", TestImageCloud.KeyName, "--user-data", file, "--wait", "-f", "value", "-c", "id", name);
        var ec2 = await Guests.Ec2IdOfAsync(uuid);
        await Guests.ConsoleShowsAsync(ec2, "TINYVM: READY");
        return (uuid, ec2);
    }

    private async Task<(string Uuid, string Ec2)> BootWithMappingAsync(string name, string volume)
    {
        var (status, body) = await NovaAsync(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new
            {
                name,
                flavorRef = "1",
                imageRef = Guests.MachineImageId,
                key_name = TestImageCloud.KeyName,
                block_device_mapping_v2 = new object[]
                {
                    new { source_type = "image", destination_type = "local", uuid = Guests.MachineImageId, boot_index = 0 },
                    new { source_type = "volume", destination_type = "volume", uuid = volume, boot_index = -1, delete_on_termination = true },
                },
            },
        });
        status.Should().Be(202, body);
        var uuid = ComputeApiCloud.Json(body).GetProperty("server").GetProperty("id").GetString()!;
        var ec2 = await Guests.Ec2IdOfAsync(uuid);
        await Guests.ConsoleShowsAsync(ec2, "TINYVM: READY");
        return (uuid, ec2);
    }

    private async Task<(int Status, string Body)> NovaAsync(HttpMethod method, string path, object? body = null) =>
        await Guests.Compute.NovaAsync(await Guests.Compute.TokenAsync("alice"), method, path, body);

    private async Task StatusIsAsync(string volume, string status)
    {
        var now = "";
        await _cloud.UntilAsync(async () => (now = (await Guests.Compute.OpenstackAsync("alice", "volume", "show", volume, "-f", "value", "-c", "status")).Stdout.Trim()) == status
            || (now == "error" && status != "error"), $"volume {volume} to be {status}");
        now.Should().Be(status);
    }
}
