using Cloud.Modules.Network;
using Cloud.Modules.Network.Drivers;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Network;

/// <summary>VlanManager's host commands, recorded: the VXLAN link and its flood list, 802.1q, the isolation rule, and which driver is chosen.</summary>
public sealed class VlanNetDriverTests
{
    [Test]
    public async Task A_new_vxlan_link_is_created_on_the_underlay_joined_to_the_bridge_and_floods_to_each_peer()
    {
        var host = new RecordedCommands().Reply("ip link show dev vx100", 1);

        await new VlanNetDriver(host).EnsureVxlanAsync(100, "br100", "192.168.77.11", "ul0", ["192.168.77.1", "192.168.77.12"], default);

        host.Lines.Should().Equal(
            "ip link show dev vx100",
            "ip link add name vx100 mtu 1500 type vxlan id 100 dstport 4789 local 192.168.77.11 dev ul0",
            "ip link set dev vx100 master br100",
            "ip link set dev vx100 up",
            "bridge fdb show dev vx100",
            "bridge fdb append 00:00:00:00:00:00 dev vx100 dst 192.168.77.1",
            "bridge fdb append 00:00:00:00:00:00 dev vx100 dst 192.168.77.12");
    }

    [Test]
    public async Task An_existing_link_keeps_its_peers_gains_the_new_ones_and_loses_the_departed()
    {
        var host = new RecordedCommands().Reply("bridge fdb show dev vx7", 0,
            "52:54:00:12:34:56 dst 192.168.77.12 self\n00:00:00:00:00:00 dst 192.168.77.1 self permanent\n00:00:00:00:00:00 dst 192.168.77.99 self permanent\n");

        await new VlanNetDriver(host).EnsureVxlanAsync(7, "br7", "192.168.77.11", null, ["192.168.77.1", "192.168.77.12"], default);

        host.Lines.Should().Equal(
            "ip link show dev vx7",
            "ip link set dev vx7 master br7",
            "ip link set dev vx7 up",
            "bridge fdb show dev vx7",
            "bridge fdb append 00:00:00:00:00:00 dev vx7 dst 192.168.77.12",
            "bridge fdb del 00:00:00:00:00:00 dev vx7 dst 192.168.77.99");
    }

    [Test]
    public async Task The_vxlan_links_of_a_host_are_found_after_a_restart()
    {
        var host = new RecordedCommands().Reply("ip -o link show type vxlan", 0,
            "7: vx100: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master br100\n9: vx7@ul0: <BROADCAST> mtu 1450\n11: flannel.1: <BROADCAST> mtu 1450\n");

        (await new VlanNetDriver(host).VxlanIdsAsync(default)).Should().Equal(100, 7);
    }

    [Test]
    public async Task An_8021q_interface_is_made_on_the_vlan_interface_once()
    {
        var fresh = new RecordedCommands().Reply("ip link show dev vlan42", 1);
        var again = new RecordedCommands();

        await new VlanNetDriver(fresh).EnsureVlanInterfaceAsync("eth1", 42, "br42", default);
        await new VlanNetDriver(again).EnsureVlanInterfaceAsync("eth1", 42, "br42", default);

        fresh.Lines.Should().Contain("ip link add link eth1 name vlan42 type vlan id 42");
        again.Lines.Should().NotContain(l => l.StartsWith("ip link add", StringComparison.Ordinal));
    }

    [Test]
    public async Task The_isolation_rule_lives_in_clouds_own_chain_and_is_added_once()
    {
        var fresh = new RecordedCommands().Reply("iptables -t filter -n -L", 1).Reply("iptables -t filter -C", 1);
        var again = new RecordedCommands();

        await new VlanNetDriver(fresh).EnsureIsolatedAsync("br100", default);
        await new VlanNetDriver(again).EnsureIsolatedAsync("br100", default);

        fresh.Lines.Should().Equal(
            "iptables -t filter -n -L cloudd-isolate",
            "iptables -t filter -N cloudd-isolate",
            "iptables -t filter -C FORWARD -j cloudd-isolate",
            "iptables -t filter -I FORWARD 1 -j cloudd-isolate",
            "iptables -t filter -C cloudd-isolate -o br100 ! -i br100 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j REJECT --reject-with icmp-admin-prohibited",
            "iptables -t filter -A cloudd-isolate -o br100 ! -i br100 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j REJECT --reject-with icmp-admin-prohibited");
        again.Lines.Should().OnlyContain(l => l.Contains(" -C ", StringComparison.Ordinal) || l.Contains(" -L ", StringComparison.Ordinal));
    }

    [TestCase("", true, false)]
    [TestCase("", false, true)]
    [TestCase("vxlan", true, true)]
    [TestCase("8021q", false, false)]
    public void The_link_is_8021q_where_the_kernel_has_it_else_vxlan_unless_the_flag_says(string flag, bool kernelHas8021q, bool vxlan) =>
        VlanLinks.UsesVxlan(flag, kernelHas8021q, NullLogger.Instance).Should().Be(vxlan);
}
