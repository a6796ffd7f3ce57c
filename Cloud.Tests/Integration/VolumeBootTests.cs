using System.Diagnostics;
using System.Text.Json;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Issue 14, "a server booted from a volume, with the real client": a cloud on its own hypervisor host with the volume
/// role beside api, scheduler, network, glance and compute (libvirt, TCG), its tgtd a private one (-C 51, portal
/// 127.0.0.1:3351 inside the host's namespace). <c>openstack volume create --image tinyvm</c> writes the test image's
/// ext4 root into a file volume; <c>openstack server create --volume</c> boots the image's kernel and ramdisk (from
/// the volume's image metadata), which switch_root to the volume; what the guest writes there outlives the server.
/// Hostile images are refused at the API (another project's, min_disk) or leave the volume in error with the reason.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class VolumeBootTests
{
    private const int ControlPort = 51;
    private const int PortalPort = 3351;

    private RealCloud _cloud = null!;
    private TgtDaemon? _tgt;
    private VolumeApiCloud _cinder = null!;
    private readonly TempDir _images = new();

    private TestImageCloud Guests => _cloud.Guests;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        TestEnv.RequireRoot();
        _cloud = await RealCloud.StartAsync("vi", "volume",
            async host => _tgt = await TgtDaemon.StartAsync(ControlPort, PortalPort, host.Namespace),
            $"--tgt_control_port={ControlPort}", "--iscsi_ip_address=127.0.0.1", $"--iscsi_port={PortalPort}",
            "--libvirt_kernel_cmdline=root=/dev/vda console=ttyS0 panic=-1 tinyvm.root=/dev/vda");
        _cinder = VolumeApiCloud.Around(_cloud.Guests.Compute);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cinder is not null)
        {
            await _cinder.DisposeAsync();
        }
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
        if (_tgt is not null)
        {
            await _tgt.DisposeAsync();
        }
        _images.Dispose();
    }

    [Test]
    public async Task A_volume_from_the_test_image_boots_a_server_that_runs_from_it_and_keeps_its_data_for_the_next_server()
    {
        var clock = Stopwatch.StartNew();
        var volume = await Guests.OpenstackAsync("alice", "volume", "create", "--image", "tinyvm", "--size", "1", "-f", "value", "-c", "id", "bootvol");
        await StatusIsAsync(volume, "available");
        TestContext.Out.WriteLine($"volume from the test image ({new FileInfo(await TestImage.MachineImageAsync()).Length} bytes qcow2): create -> available in {clock.Elapsed.TotalSeconds:0.0} s");
        var shown = JsonDocument.Parse(await Guests.OpenstackAsync("alice", "volume", "show", "-f", "json", volume)).RootElement;
        shown.GetProperty("bootable").GetString().Should().Be("true");
        var image = shown.GetProperty("volume_image_metadata");
        image.GetProperty("image_id").GetString().Should().Be(Guests.MachineImageId);
        image.GetProperty("image_name").GetString().Should().Be("tinyvm");
        image.GetProperty("kernel_id").GetString().Should().Be(Guests.KernelId);
        image.GetProperty("ramdisk_id").GetString().Should().Be(Guests.RamdiskId);

        var first = await BootAsync(volume, "fromvol1");
        await Guests.ConsoleShowsAsync(first.Ec2, @"TINYVM: switch_root to /dev/vda");
        await Guests.ConsoleShowsAsync(first.Ec2, @"TINYVM: running from disk /dev/vda");
        (await Guests.ConsoleShowsAsync(first.Ec2, @"TINYVM: disk vda size_sectors=(\d+) serial=(\S+)")).Groups[2].Value.Should().Be(volume[..20], "the root disk is the volume");
        var ssh = await _cloud.SshAsync(first.Address, "echo kept-on-the-volume > /root/marker && sync && cat /root/marker");
        ssh.ExitCode.Should().Be(0, ssh.ToString());
        await Guests.OpenstackAsync("alice", "server", "delete", "--wait", first.Id);
        await StatusIsAsync(volume, "available");

        var second = await BootAsync(volume, "fromvol2");
        await Guests.ConsoleShowsAsync(second.Ec2, @"TINYVM: running from disk /dev/vda");
        await _cloud.UntilAsync(async () => (await _cloud.SshAsync(second.Address, "cat /root/marker")).Stdout.Contains("kept-on-the-volume", StringComparison.Ordinal),
            "the second server to read what the first wrote on the root volume");
        await Guests.OpenstackAsync("alice", "server", "delete", "--wait", second.Id);
    }

    [Test]
    public async Task Another_projects_image_is_not_found_and_a_too_small_volume_is_refused_with_cinders_messages()
    {
        var file = await TestImage.MachineImageAsync();
        var before = await Guests.OpenstackAsync("alice", "volume", "list", "-f", "value", "-c", "ID");
        var carols = await Guests.OpenstackAsync("carol", "image", "create", "--private", "--disk-format", "qcow2", "--container-format", "bare",
            "--file", file, "-f", "value", "-c", "id", "carols-root");
        var foreign = await _cinder.CinderAsync("alice", HttpMethod.Post, "/volumes", new { volume = new { size = 1, imageRef = carols } });
        foreign.Status.Should().Be(404, foreign.ToString());
        foreign.Body.Should().Contain($"Image {carols} could not be found.");

        var large = await Guests.OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "qcow2", "--container-format", "bare",
            "--min-disk", "2", "--file", file, "-f", "value", "-c", "id", "needs-two");
        var small = await _cinder.CinderAsync("alice", HttpMethod.Post, "/volumes", new { volume = new { size = 1, imageRef = large } });
        small.Status.Should().Be(400, small.ToString());
        small.Body.Should().Contain("Volume size 1GB cannot be smaller than the image minDisk size 2GB.");
        (await Guests.OpenstackAsync("alice", "volume", "list", "-f", "value", "-c", "ID")).Should().Be(before, "nothing was made of either request");
    }

    [Test]
    public async Task A_qcow2_naming_a_backing_file_or_larger_than_the_volume_leaves_the_volume_in_error_with_the_reason()
    {
        var backed = Path.Combine(_images.Path, "backed.qcow2");
        await QemuImgAsync("create", "-q", "-f", "qcow2", "-F", "raw", "-b", "/etc/hostname", backed, "64M");
        var huge = Path.Combine(_images.Path, "huge.qcow2");
        await QemuImgAsync("create", "-q", "-f", "qcow2", huge, "3G");
        foreach (var (file, reason) in new[] { (backed, "backing file not allowed"), (huge, "virtual size of 3 GiB is more than the volume's size of 1 GiB") })
        {
            var image = await Guests.OpenstackAsync("alice", "image", "create", "--private", "--disk-format", "qcow2", "--container-format", "bare",
                "--file", file, "-f", "value", "-c", "id", Path.GetFileNameWithoutExtension(file));
            var volume = await Guests.OpenstackAsync("alice", "volume", "create", "--image", image, "--size", "1", "-f", "value", "-c", "id", $"from-{Path.GetFileNameWithoutExtension(file)}");
            await StatusIsAsync(volume, "error");
            await using var c = await Guests.Db.OpenAsync(default);
            var row = await c.QuerySingleAsync<(long Id, string? Reason)>("SELECT id, status_reason FROM volumes WHERE uuid = @Uuid", new { Uuid = volume });
            row.Reason.Should().Contain(reason);
            File.Exists(Path.Combine(_cloud.Api.StatePath, "volumes", $"volume-{row.Id:x8}")).Should().BeFalse("a failed volume keeps no backing store");
            await Guests.OpenstackAsync("alice", "volume", "delete", volume);
        }
    }

    private async Task<(string Id, string Ec2, string Address)> BootAsync(string volume, string name)
    {
        var id = await Guests.OpenstackAsync("alice", "server", "create", "--volume", volume, "--flavor", "m1.tiny",
            "--key-name", TestImageCloud.KeyName, "--wait", "-f", "value", "-c", "id", name);
        (await Guests.OpenstackAsync("alice", "server", "show", id, "-f", "value", "-c", "status")).Should().Be("ACTIVE");
        var ec2 = await Guests.Ec2IdOfAsync(id);
        var address = (await Guests.ConsoleShowsAsync(ec2, @"TINYVM: READY ip=(\S+)")).Groups[1].Value;
        return (id, ec2, address);
    }

    /// <summary>Waits until the volume is <paramref name="status"/>; one in error fails the wait at once (unless error is awaited).</summary>
    private async Task StatusIsAsync(string volume, string status)
    {
        var now = "";
        await _cloud.UntilAsync(async () =>
        {
            now = await Guests.OpenstackAsync("alice", "volume", "show", volume, "-f", "value", "-c", "status");
            return now == status || now == "error";
        }, $"volume {volume} to be {status}");
        if (now != status)
        {
            // Why it went wrong, for the failure's message: the volume's recorded reason.
            await using var c = await Guests.Db.OpenAsync(default);
            var reason = await c.QuerySingleOrDefaultAsync<string?>("SELECT status_reason FROM volumes WHERE uuid = @Uuid", new { Uuid = volume });
            now.Should().Be(status, "volume {0} went to {1} ({2})", volume, now, reason ?? "no reason recorded");
        }
    }

    private static async Task QemuImgAsync(params string[] args)
    {
        var run = await ExternalTool.RunAsync("/usr/bin/qemu-img", args, Path.GetTempPath());
        run.ExitCode.Should().Be(0, run.ToString());
    }
}
