using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The seed's 4.3.5–4.3.6 and 4.8 on real virtual machines: the test image uploaded as aki/ari/ami, a key pair,
/// <c>aws ec2 run-instances --count 2</c> and <c>openstack server create</c> booting TCG guests through libvirt-dbus,
/// each getting its fixed IP from cloudd's dnsmasq and its key from cloudd's metadata service, reachable by ping
/// and <c>ssh -i</c>, and gone without a trace when terminated. One cloud for the fixture: guests take seconds to boot.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class RealInstanceTests
{
    private RealCloud _cloud = null!;

    private TestImageCloud Guests => _cloud.Guests;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        TestEnv.RequireRoot();
        _cloud = await RealCloud.StartAsync("vm");
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
    public async Task Two_instances_from_aws_run_instances_boot_with_their_own_ip_and_key_answer_ping_and_ssh_and_leave_nothing_when_terminated()
    {
        var ids = await Guests.RunAsync("--count", "2");
        ids.Should().HaveCount(2);

        var addresses = new List<string>();
        foreach (var id in ids)
        {
            await Guests.StateIsAsync(id, "running");
            var ready = await Guests.ConsoleShowsAsync(id, @"TINYVM: READY ip=(\S+)");
            addresses.Add(ready.Groups[1].Value);
            (await Guests.ConsoleShowsAsync(id, @"TINYVM: dhcp bound ip=(\S+)")).Groups[1].Value.Should().Be(ready.Groups[1].Value);
            (await Guests.ConsoleShowsAsync(id, @"TINYVM: meta public-keys=(.+)$")).Groups[1].Value.Should().Contain(Guests.PublicKey.Split(' ')[1]);
            (await Guests.ConsoleShowsAsync(id, @"TINYVM: meta instance-id=(\S+)")).Groups[1].Value.Should().Be(id, "the metadata service answers each guest about itself");
        }
        addresses.Should().OnlyHaveUniqueItems().And.AllSatisfy(a => a.Should().StartWith("10.0.0."));
        var described = await Guests.AwsAsync("describe-instances", "--instance-ids", ids[0], ids[1], "--query", "Reservations[].Instances[].PrivateIpAddress", "--output", "text");
        described.Split(['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo(addresses);

        foreach (var address in addresses)
        {
            (await _cloud.PingAsync(address)).ExitCode.Should().Be(0, "the guest {0} answers ping from the host's bridge", address);
            var ssh = await _cloud.SshAsync(address, "cat /root/.ssh/authorized_keys; hostname");
            ssh.ExitCode.Should().Be(0, ssh.ToString());
            ssh.Stdout.Should().Contain(Guests.PublicKey.Split(' ')[1]);
        }
        await _cloud.UntilAsync(async () => addresses.All((await Guests.LeasedAsync()).Contains), "dnsmasq's lease script (cloudd dhcpbridge) to mark both addresses leased");
        var domains = await _cloud.Host.VirshAsync("list", "--name");
        var names = ids.Select(id => $"instance-{id[2..]}").ToList();
        names.Should().AllSatisfy(n => domains.Should().Contain(n, "virsh list shows both as instance-%08x"));

        await Guests.AwsAsync("terminate-instances", "--instance-ids", ids[0], ids[1]);
        foreach (var id in ids)
        {
            await Guests.StateIsAsync(id, "terminated");
        }
        var remaining = await _cloud.Host.VirshAsync("list", "--all", "--name");
        names.Should().AllSatisfy(n => remaining.Should().NotContain(n));
        names.Should().AllSatisfy(n => Directory.Exists(Path.Combine(_cloud.Api.StatePath, "instances", n)).Should().BeFalse("the instance's files are removed"));
        (await Guests.AllocatedAsync()).Select(a => a.Address).Should().NotContain(addresses, "terminate releases the fixed IPs");
        await _cloud.UntilAsync(async () => !(await Guests.LeasedAsync()).Intersect(addresses).Any(), "dhcp_release's 'del' to end both leases");
        var hosts = string.Join('\n', DhcpHostLines());
        addresses.Should().AllSatisfy(a => hosts.Should().NotContain(a + ","));
    }

    [Test]
    public async Task An_openstack_server_keeps_its_ip_through_reboot_and_stop_start_and_shows_shutoff_when_the_guest_powers_off()
    {
        var id = await Guests.OpenstackAsync("alice", "server", "create", "--image", Guests.MachineImageId, "--flavor", "m1.tiny",
            "--key-name", TestImageCloud.KeyName, "--wait", "-f", "value", "-c", "id", "osvm");
        var ec2 = await Guests.Ec2IdOfAsync(id);
        var address = (await Guests.ConsoleShowsAsync(ec2, @"TINYVM: READY ip=(\S+)")).Groups[1].Value;
        (await Guests.OpenstackAsync("alice", "console", "log", "show", id)).Should().Contain($"dhcp bound ip={address}");
        (await Guests.OpenstackAsync("alice", "server", "show", id, "-f", "value", "-c", "addresses")).Should().Contain(address);

        await Guests.OpenstackAsync("alice", "server", "reboot", "--hard", "--wait", id);
        await _cloud.UntilAsync(async () => (await _cloud.SshAsync(address, "cat /proc/uptime")).ExitCode == 0, "ssh after reboot on the same address");

        await Guests.OpenstackAsync("alice", "server", "stop", id);
        await _cloud.ServerStatusIsAsync(id, "SHUTOFF");
        await Guests.OpenstackAsync("alice", "server", "start", id);
        await _cloud.ServerStatusIsAsync(id, "ACTIVE");
        await _cloud.UntilAsync(async () => (await _cloud.SshAsync(address, "true")).ExitCode == 0, "ssh after stop/start on the same address");

        // Detached, so the ssh session ends before the guest does.
        (await _cloud.SshAsync(address, "sh -c 'sleep 1; poweroff -f' </dev/null >/dev/null 2>&1 &")).ExitCode.Should().Be(0);
        await _cloud.ServerStatusIsAsync(id, "SHUTOFF");

        await Guests.OpenstackAsync("alice", "server", "delete", "--wait", id);
        (await Guests.AllocatedAsync()).Select(a => a.Address).Should().NotContain(address);
    }

    [Test]
    public async Task An_image_whose_kernel_is_gone_is_refused_at_the_api_naming_the_kernel_and_holds_no_ip()
    {
        // The API checks kernel and ramdisk as it checks the image (issue 12, hole 4), as nova does; a kernel that goes
        // after the API accepted the server fails the spawn instead (LibvirtDriverTests, Bug0012_04).
        var kernel = await Guests.OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "aki", "--container-format", "aki",
            "--file", await TestImage.KernelAsync(), "-f", "value", "-c", "id", "doomed-kernel");
        var image = await Guests.OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "qcow2", "--container-format", "bare",
            "--property", $"kernel_id={kernel}", "--file", await TestImage.MachineImageAsync(), "-f", "value", "-c", "id", "doomed");
        await Guests.OpenstackAsync("berendt", "image", "delete", kernel);
        var allocated = (await Guests.AllocatedAsync()).Count;

        var run = await Guests.Compute.OpenstackAsync("alice", ["server", "create", "--image", image, "--flavor", "m1.tiny", "-f", "value", "-c", "id", "doomed"]);

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain($"Can not find requested image {kernel}.").And.Contain("HTTP 400");
        (await Guests.OpenstackAsync("alice", "server", "list", "--name", "^doomed$", "-f", "value", "-c", "ID")).Should().BeEmpty();
        (await Guests.AllocatedAsync()).Should().HaveCount(allocated, "a refused server takes no fixed IP");
    }

    [Test]
    public async Task A_libvirt_error_reaches_the_instance_fault_with_libvirts_message()
    {
        // Not a Linux kernel, with a ramdisk: QEMU refuses to start ("linux kernel too old to load a ram disk"), libvirt says so.
        var bogus = Path.Combine(Guests.Compute.Home, "not-a-kernel");
        await File.WriteAllBytesAsync(bogus, new byte[4096]);
        var kernel = await Guests.OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "aki", "--container-format", "aki",
            "--file", bogus, "-f", "value", "-c", "id", "bogus-kernel");
        var image = await Guests.OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "qcow2", "--container-format", "bare",
            "--property", $"kernel_id={kernel}", "--property", $"ramdisk_id={Guests.RamdiskId}",
            "--file", await TestImage.MachineImageAsync(), "-f", "value", "-c", "id", "bogus");

        var id = await Guests.OpenstackAsync("alice", "server", "create", "--image", image, "--flavor", "m1.tiny", "-f", "value", "-c", "id", "bogus");
        await _cloud.ServerStatusIsAsync(id, "ERROR");

        (await Guests.OpenstackAsync("alice", "server", "show", id, "-f", "value", "-c", "fault")).Should().MatchRegex("(?i)qemu|kernel");
        (await Guests.AllocatedAsync()).Select(a => a.Instance).Should().NotContain(id);
        await Guests.OpenstackAsync("alice", "server", "delete", id);
    }


    private IEnumerable<string> DhcpHostLines() =>
        Directory.GetFiles(Path.Combine(_cloud.Api.StatePath, "networks"), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).Contains("host", StringComparison.OrdinalIgnoreCase))
            .SelectMany(File.ReadAllLines);
}
