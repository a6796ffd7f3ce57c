using System.Text.RegularExpressions;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Data.Sqlite;
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
public sealed partial class RealInstanceTests
{
    private RealCloud _cloud = null!;

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
        var ami = (await _cloud.AwsAsync("alice", "describe-images", "--query", "Images[?Name=='tinyvm'].ImageId", "--output", "text")).Trim();
        ami.Should().StartWith("ami-");
        var ids = (await _cloud.AwsAsync("alice", "run-instances", "--image-id", ami, "--count", "2", "--instance-type", "m1.tiny",
            "--key-name", RealCloud.KeyName, "--query", "Instances[].InstanceId", "--output", "text")).Split('\t', ' ', '\n');
        ids.Should().HaveCount(2);

        var addresses = new List<string>();
        foreach (var id in ids)
        {
            await _cloud.StateIsAsync(id, "running");
            var ready = await _cloud.ConsoleShowsAsync(id, @"TINYVM: READY ip=(\S+)");
            addresses.Add(ready.Groups[1].Value);
            (await _cloud.ConsoleShowsAsync(id, @"TINYVM: dhcp bound ip=(\S+)")).Groups[1].Value.Should().Be(ready.Groups[1].Value);
            (await _cloud.ConsoleShowsAsync(id, @"TINYVM: meta public-keys=(.+)$")).Groups[1].Value.Trim().Should().StartWith(_cloud.PublicKey.Split(' ')[1][..40]);
            (await _cloud.ConsoleShowsAsync(id, @"TINYVM: meta instance-id=(\S+)")).Groups[1].Value.Should().Be(id, "the metadata service answers each guest about itself");
        }
        addresses.Should().OnlyHaveUniqueItems().And.AllSatisfy(a => a.Should().StartWith("10.0.0."));
        var described = await _cloud.AwsAsync("alice", "describe-instances", "--instance-ids", ids[0], ids[1], "--query", "Reservations[].Instances[].PrivateIpAddress", "--output", "text");
        described.Split('\t', ' ', '\n').Should().BeEquivalentTo(addresses);

        foreach (var address in addresses)
        {
            (await _cloud.PingAsync(address)).ExitCode.Should().Be(0, "the guest {0} answers ping from the host's bridge", address);
            var ssh = await _cloud.SshAsync(address, "cat /root/.ssh/authorized_keys; hostname");
            ssh.ExitCode.Should().Be(0, ssh.ToString());
            ssh.Stdout.Should().Contain(_cloud.PublicKey.Split(' ')[1]);
        }
        var domains = await _cloud.Host.VirshAsync("list", "--name");
        var names = Regex.Matches(domains, @"instance-[0-9a-f]{8}").Select(m => m.Value).ToList();
        names.Should().HaveCount(2, "virsh list shows both as instance-%08x: {0}", domains);

        await _cloud.AwsAsync("alice", "terminate-instances", "--instance-ids", ids[0], ids[1]);
        foreach (var id in ids)
        {
            await _cloud.StateIsAsync(id, "terminated");
        }
        var remaining = await _cloud.Host.VirshAsync("list", "--all", "--name");
        names.Should().AllSatisfy(n => remaining.Should().NotContain(n));
        foreach (var name in names)
        {
            Directory.Exists(Path.Combine(_cloud.Api.StatePath, "instances", name)).Should().BeFalse("the instance's files are removed");
        }
        (await AllocatedAddressesAsync()).Should().NotContain(addresses, "terminate releases the fixed IPs");
        var hosts = string.Join('\n', await DhcpHostsAsync());
        addresses.Should().AllSatisfy(a => hosts.Should().NotContain(a + ","));
    }

    [Test]
    public async Task An_openstack_server_keeps_its_ip_through_reboot_and_stop_start_and_shows_shutoff_when_the_guest_powers_off()
    {
        var id = await _cloud.OpenstackAsync("alice", "server", "create", "--image", _cloud.MachineImageId, "--flavor", "m1.tiny",
            "--key-name", RealCloud.KeyName, "--wait", "-f", "value", "-c", "id", "osvm");
        var ec2 = await Ec2IdOfAsync(id);
        var address = (await _cloud.ConsoleShowsAsync(ec2, @"TINYVM: READY ip=(\S+)")).Groups[1].Value;
        (await _cloud.OpenstackAsync("alice", "console", "log", "show", id)).Should().Contain($"dhcp bound ip={address}");

        await _cloud.OpenstackAsync("alice", "server", "reboot", "--hard", "--wait", id);
        await _cloud.UntilAsync(async () => (await _cloud.SshAsync(address, "cat /proc/uptime")).ExitCode == 0, "ssh after reboot");

        await _cloud.OpenstackAsync("alice", "server", "stop", id);
        await StatusIsAsync(id, "SHUTOFF");
        await _cloud.OpenstackAsync("alice", "server", "start", id);
        await StatusIsAsync(id, "ACTIVE");
        await _cloud.UntilAsync(async () => (await _cloud.SshAsync(address, "true")).ExitCode == 0, "ssh after stop/start on the same address");
        (await _cloud.OpenstackAsync("alice", "server", "show", id, "-f", "value", "-c", "addresses")).Should().Contain(address);

        await _cloud.SshAsync(address, "poweroff");
        await StatusIsAsync(id, "SHUTOFF");

        await _cloud.OpenstackAsync("alice", "server", "delete", "--wait", id);
        (await AllocatedAddressesAsync()).Should().NotContain(address);
    }

    [Test]
    public async Task An_instance_whose_kernel_is_gone_goes_to_error_with_the_reason_and_gives_its_ip_back()
    {
        var kernel = await _cloud.OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "aki", "--container-format", "aki",
            "--file", await TestImage.KernelAsync(), "-f", "value", "-c", "id", "doomed-kernel");
        var image = await _cloud.OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "qcow2", "--container-format", "bare",
            "--property", $"kernel_id={kernel}", "--file", await TestImage.MachineImageAsync(), "-f", "value", "-c", "id", "doomed");
        await _cloud.OpenstackAsync("berendt", "image", "delete", kernel);

        var id = await _cloud.OpenstackAsync("alice", "server", "create", "--image", image, "--flavor", "m1.tiny", "-f", "value", "-c", "id", "doomed");
        await StatusIsAsync(id, "ERROR");

        (await _cloud.OpenstackAsync("alice", "server", "show", id, "-f", "value", "-c", "fault")).Should().Contain(kernel);
        (await AllocatedInstancesAsync()).Should().NotContain(id, "a failed boot releases its fixed IP");
        await _cloud.OpenstackAsync("alice", "server", "delete", id);
    }

    [Test]
    public async Task A_libvirt_error_reaches_the_instance_fault_with_libvirts_message()
    {
        var bogus = Path.Combine(_cloud.Compute.Home, "not-a-kernel");
        await File.WriteAllBytesAsync(bogus, new byte[4096]);
        var kernel = await _cloud.OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "aki", "--container-format", "aki",
            "--file", bogus, "-f", "value", "-c", "id", "bogus-kernel");
        var image = await _cloud.OpenstackAsync("berendt", "image", "create", "--public", "--disk-format", "qcow2", "--container-format", "bare",
            "--property", $"kernel_id={kernel}", "--file", await TestImage.MachineImageAsync(), "-f", "value", "-c", "id", "bogus");

        var id = await _cloud.OpenstackAsync("alice", "server", "create", "--image", image, "--flavor", "m1.tiny", "-f", "value", "-c", "id", "bogus");
        await StatusIsAsync(id, "ERROR");

        (await _cloud.OpenstackAsync("alice", "server", "show", id, "-f", "value", "-c", "fault")).Should().MatchRegex("(?i)qemu|kernel");
        (await AllocatedInstancesAsync()).Should().NotContain(id);
        await _cloud.OpenstackAsync("alice", "server", "delete", id);
    }

    private async Task StatusIsAsync(string serverId, string status)
    {
        var now = "";
        await _cloud.UntilAsync(async () =>
        {
            now = await _cloud.OpenstackAsync("alice", "server", "show", serverId, "-f", "value", "-c", "status");
            return now == status || (now == "ERROR" && status != "ERROR");
        }, $"server {serverId} to be {status}");
        now.Should().Be(status, await _cloud.OpenstackAsync("alice", "server", "show", serverId, "-f", "value", "-c", "fault"));
    }

    private async Task<string> Ec2IdOfAsync(string serverId)
    {
        var id = (await ReadDbAsync("SELECT id FROM instances WHERE uuid = $uuid", ("$uuid", serverId))).Single();
        return $"i-{long.Parse(id, System.Globalization.CultureInfo.InvariantCulture):x8}";
    }

    private Task<IReadOnlyList<string>> AllocatedAddressesAsync() => ReadDbAsync("SELECT address FROM fixed_ips WHERE allocated = 1");

    private Task<IReadOnlyList<string>> AllocatedInstancesAsync() => ReadDbAsync("SELECT instance_uuid FROM fixed_ips WHERE allocated = 1");

    private async Task<IReadOnlyList<string>> DhcpHostsAsync()
    {
        var files = Directory.GetFiles(Path.Combine(_cloud.Api.StatePath, "networks"), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).Contains("host", StringComparison.OrdinalIgnoreCase));
        var lines = new List<string>();
        foreach (var file in files)
        {
            lines.AddRange(await File.ReadAllLinesAsync(file));
        }
        return lines;
    }

    private async Task<IReadOnlyList<string>> ReadDbAsync(string sql, params (string Name, string Value)[] args)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_cloud.Api.StatePath, "cloudd.sqlite")}");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }
        return values;
    }
}
