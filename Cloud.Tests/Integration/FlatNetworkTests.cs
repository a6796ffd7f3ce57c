using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// nova's FlatManager with <c>--flat_injected</c> on a real TCG guest: no dnsmasq serves the bridge, the guest finds
/// its address in network_data.json on the config drive (labelled config-2) the libvirt driver built and attached,
/// configures it statically, answers ping from the network host, and the metadata service serves the same
/// network_data.json. Terminating frees the address at once (no lease to wait for).
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class FlatNetworkTests
{
    private RealCloud _cloud = null!;

    private TestImageCloud Guests => _cloud.Guests;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        TestEnv.RequireRoot();
        _cloud = await RealCloud.StartAsync("flt", null, "--network_manager=nova.network.manager.FlatManager", "--flat_injected");
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
    public async Task A_guest_takes_its_static_address_from_the_config_drive_answers_ping_and_its_address_is_free_once_terminated()
    {
        var id = (await Guests.RunAsync()).Single();
        await Guests.StateIsAsync(id, "running");

        (await Guests.ConsoleShowsAsync(id, @"TINYVM: configdrive dev=(\S+)")).Groups[1].Value.Should().StartWith("/dev/");
        var configured = await Guests.ConsoleShowsAsync(id, @"TINYVM: static ip=(\S+) mask=(\S+) router=(\S+) source=config-drive");
        var address = configured.Groups[1].Value;
        (configured.Groups[2].Value, configured.Groups[3].Value).Should().Be(("255.255.255.0", "10.0.0.1"));
        (await Guests.ConsoleShowsAsync(id, @"TINYVM: READY ip=(\S+)")).Groups[1].Value.Should().Be(address);
        (await Guests.ConsoleShowsAsync(id, @"TINYVM: meta instance-id=(\S+)")).Groups[1].Value.Should().Be(id, "the drive's ec2/latest/meta-data.json names it");
        (await Guests.AllocatedAsync()).Should().Contain((address, await Guests.UuidOfAsync(id)));
        File.Exists(Path.Combine(_cloud.Api.StatePath, "networks", "br100.pid")).Should().BeFalse("FlatManager runs no dnsmasq");

        (await _cloud.PingAsync(address)).ExitCode.Should().Be(0, "the guest answers ping from the network host");
        var metadata = await _cloud.SshAsync(address, "wget -q -O - http://169.254.169.254/openstack/latest/network_data.json");
        metadata.ExitCode.Should().Be(0, metadata.ToString());
        metadata.Stdout.Should().Contain($"\"ip_address\":\"{address}\"").And.Contain("\"gateway\":\"10.0.0.1\"");

        await Guests.AwsAsync("terminate-instances", "--instance-ids", id);
        await Guests.StateIsAsync(id, "terminated");
        await _cloud.UntilAsync(async () => !(await Guests.AllocatedAsync()).Any(a => a.Address == address), "the address to be deallocated");
        (await Guests.RunAsync()).Should().ContainSingle();
        await _cloud.UntilAsync(async () => (await Guests.AllocatedAsync()).Any(a => a.Address == address), "the next instance to get the freed address at once");
    }
}
