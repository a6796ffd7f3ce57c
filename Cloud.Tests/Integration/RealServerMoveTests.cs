using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// createImage, resize with confirm, and shelve/unshelve on a real TCG guest through libvirt-dbus (one host, so
/// <c>--allow_resize_to_same_host</c>), driven by the <c>openstack</c> client: the snapshot is a standalone qcow2 in Glance,
/// the resized guest comes back on its address with the new flavor's RAM, and an unshelved guest boots from its snapshot.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class RealServerMoveTests
{
    private RealCloud _cloud = null!;

    private TestImageCloud Guests => _cloud.Guests;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        TestEnv.RequireRoot();
        _cloud = await RealCloud.StartAsync("mv", null, "--allow_resize_to_same_host=true");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
    }

    [Test]
    public async Task A_real_guest_is_snapshotted_into_glance_resized_with_more_ram_and_shelved_off_its_host_and_back()
    {
        var id = await Guests.OpenstackAsync("alice", "server", "create", "--image", Guests.MachineImageId, "--flavor", "m1.tiny",
            "--key-name", TestImageCloud.KeyName, "--wait", "-f", "value", "-c", "id", "mover");
        var ec2 = await Guests.Ec2IdOfAsync(id);
        var address = (await Guests.ConsoleShowsAsync(ec2, @"TINYVM: READY ip=(\S+)")).Groups[1].Value;
        var instanceDir = Path.Combine(_cloud.Api.StatePath, "instances", $"instance-{ec2[2..]}");

        await Guests.OpenstackAsync("alice", "server", "image", "create", "--name", "mover-snap", "--wait", id);
        var saved = Path.Combine(Guests.Compute.Home, "mover-snap.qcow2");
        await Guests.OpenstackAsync("alice", "image", "save", "--file", saved, "mover-snap");
        var info = await ExternalTool.RunAsync("/usr/bin/qemu-img", ["info", "--output=json", saved], Guests.Compute.Home);
        info.Stdout.Should().Contain("\"format\": \"qcow2\"").And.NotContain("backing-filename", "a snapshot stands alone, its base flattened in");
        await _cloud.ServerStatusIsAsync(id, "ACTIVE");
        (await _cloud.SshAsync(address, "true")).ExitCode.Should().Be(0, "the guest runs on after its snapshot");

        await Guests.OpenstackAsync("alice", "server", "resize", "--flavor", "m1.small", "--wait", id);
        await _cloud.ServerStatusIsAsync(id, "VERIFY_RESIZE");
        Directory.Exists(instanceDir + "_resize").Should().BeTrue("the old disk is kept until the resize is confirmed");
        string memory = "";
        await _cloud.UntilAsync(async () => (memory = (await _cloud.SshAsync(address, "grep MemTotal /proc/meminfo")).Stdout).Contains("MemTotal", StringComparison.Ordinal),
            "ssh to the resized guest on its address");
        long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(1024 * 1024, "m1.small has 2048 MiB");
        await Guests.OpenstackAsync("alice", "server", "resize", "confirm", id);
        await _cloud.ServerStatusIsAsync(id, "ACTIVE");
        await _cloud.UntilAsync(() => Task.FromResult(!Directory.Exists(instanceDir + "_resize")), "the confirmed resize to drop the old disk");

        await Guests.OpenstackAsync("alice", "server", "shelve", id);
        await _cloud.ServerStatusIsAsync(id, "SHELVED_OFFLOADED");
        Directory.Exists(instanceDir).Should().BeFalse("an offloaded server leaves nothing on its host");
        await Guests.OpenstackAsync("alice", "server", "unshelve", id);
        await _cloud.ServerStatusIsAsync(id, "ACTIVE");
        (await Guests.ConsoleShowsAsync(ec2, @"TINYVM: READY ip=(\S+)")).Groups[1].Value.Should().Be(address, "the unshelved guest keeps its fixed IP");

        await Guests.OpenstackAsync("alice", "server", "delete", "--wait", id);
        Directory.Exists(instanceDir).Should().BeFalse();
    }

}
