using Cloud.Modules.Kernel.Host;
using Cloud.Modules.Network.Drivers;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 13: with the metadata service on the public side (a multi-host deployment), the network role's
/// MASQUERADE rewrote the guests' metadata traffic too, so the service saw the network host's address and answered
/// every guest 404. The metadata destination, and the fixed range to itself, must be accepted before the
/// MASQUERADE, as nova's SNAT chain does (<c>-d metadata_host -j ACCEPT</c>). Real iptables, in a namespace.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class Bug0012_13_MetadataBehindSnat
{
    private const string HostNs = "cloudd-bug12-13";

    [SetUp]
    public void CreateNamespace()
    {
        NetnsTools.RequireRootAndTools();
        NetnsTools.Create(HostNs);
        NetnsTools.Run("ip", "netns", "exec", HostNs, "ip", "link", "add", "ext-cloudd", "type", "veth", "peer", "name", "ext-cloudd-p");
    }

    [TearDown]
    public void DeleteNamespace() => NetnsTools.Delete(HostNs);

    [Test]
    public async Task Guests_traffic_to_the_metadata_host_and_to_each_other_is_accepted_before_the_masquerade()
    {
        using var driver = new LinuxNetDriver(new CommandRunner(["ip", "netns", "exec", HostNs], NullLogger<CommandRunner>.Instance), NullLogger<LinuxNetDriver>.Instance);

        (await driver.EnsureForwardingAsync("10.79.0.0/16", "ext-cloudd", "192.0.2.10", default)).Should().BeTrue();
        (await driver.EnsureForwardingAsync("10.79.0.0/16", "ext-cloudd", "192.0.2.10", default)).Should().BeTrue("it is idempotent");

        Rules().Should().Equal(
            "-A cloudd-POSTROUTING -s 10.79.0.0/16 -d 192.0.2.10/32 -j ACCEPT",
            "-A cloudd-POSTROUTING -s 10.79.0.0/16 -d 10.79.0.0/16 -m conntrack ! --ctstate DNAT -j ACCEPT",
            "-A cloudd-POSTROUTING -s 10.79.0.0/16 -o ext-cloudd -j MASQUERADE");
    }

    [Test]
    public async Task A_masquerade_left_by_an_older_cloudd_still_comes_after_the_exemptions()
    {
        NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-N", LinuxNetDriver.PostroutingChain);
        NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-A", LinuxNetDriver.PostroutingChain, "-s", "10.79.0.0/16", "-o", "ext-cloudd", "-j", "MASQUERADE");
        using var driver = new LinuxNetDriver(new CommandRunner(["ip", "netns", "exec", HostNs], NullLogger<CommandRunner>.Instance), NullLogger<LinuxNetDriver>.Instance);

        await driver.EnsureForwardingAsync("10.79.0.0/16", "ext-cloudd", "192.0.2.10", default);

        Rules().Last().Should().Be("-A cloudd-POSTROUTING -s 10.79.0.0/16 -o ext-cloudd -j MASQUERADE");
        Rules().Should().HaveCount(3);
    }

    private static List<string> Rules() =>
        [.. NetnsTools.Run("ip", "netns", "exec", HostNs, "iptables", "-t", "nat", "-S", LinuxNetDriver.PostroutingChain)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("-A ", StringComparison.Ordinal))];
}
