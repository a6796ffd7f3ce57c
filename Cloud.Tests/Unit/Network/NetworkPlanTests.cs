using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Network;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Network;

/// <summary>The address math of manage network create, instance MACs and hostnames, and which managers may run.</summary>
public sealed class NetworkPlanTests
{
    [Test]
    public void A_slash_24_reserves_network_gateway_broadcast_and_everything_below_dhcp_start()
    {
        var network = NetworkPlan.Split("10.0.0.0/24", 1, 256, "10.0.0.5").Single();

        (network.Cidr, network.Netmask, network.Gateway, network.Broadcast, network.DhcpStart)
            .Should().Be(("10.0.0.0/24", "255.255.255.0", "10.0.0.1", "10.0.0.255", "10.0.0.5"));
        network.Addresses.Should().HaveCount(256);
        network.Addresses.Where(a => a.Reserved).Select(a => a.Address).Should().Equal("10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.255");
        network.Addresses[10].Should().Be(new PlannedAddress("10.0.0.10", 10, false));
    }

    [Test]
    public void A_dhcp_start_outside_the_network_starts_handing_out_right_after_the_gateway()
    {
        var networks = NetworkPlan.Split("192.168.3.0/24", 2, 128, "10.0.0.2");

        networks.Select(n => (n.Cidr, n.Gateway, n.Broadcast, n.DhcpStart)).Should().Equal(
            ("192.168.3.0/25", "192.168.3.1", "192.168.3.127", "192.168.3.2"),
            ("192.168.3.128/25", "192.168.3.129", "192.168.3.255", "192.168.3.130"));
        networks[1].Addresses.Count(a => a.Reserved).Should().Be(3);
    }

    [TestCase("10.0.0.0", 1, 256, "not an IPv4 CIDR")]
    [TestCase("10.0.0.0/33", 1, 256, "not an IPv4 CIDR")]
    [TestCase("fd00::/64", 1, 256, "not an IPv4 CIDR")]
    [TestCase("10.0.0.7/24", 1, 256, "host bits set; the network is 10.0.0.0/24")]
    [TestCase("10.0.0.0/24", 2, 256, "need 512 addresses, but 10.0.0.0/24 has only 256")]
    [TestCase("10.0.0.0/24", 1, 100, "must be a power of two")]
    [TestCase("10.0.0.0/24", 0, 256, "NUM must be at least 1")]
    [TestCase("10.0.0.0/8", 2, 65536, "more than the 65536 addresses")]
    public void Bad_input_is_refused_with_a_message_that_says_what_is_wrong(string cidr, int count, int size, string message)
    {
        var act = () => NetworkPlan.Split(cidr, count, size, "10.0.0.2");

        act.Should().Throw<CloudException>().Which.Message.Should().Contain(message);
    }

    [Test]
    public void Overlapping_ranges_are_recognised()
    {
        NetworkPlan.Overlap("10.0.0.0/24", "10.0.0.128/25").Should().BeTrue();
        NetworkPlan.Overlap("10.0.0.0/8", "10.200.0.0/16").Should().BeTrue();
        NetworkPlan.Overlap("10.0.0.0/24", "10.0.1.0/24").Should().BeFalse();
    }

    [Test]
    public void Each_network_of_a_create_gets_its_own_bridge()
    {
        NetworkPlan.BridgeNames("br100", 3).Should().Equal("br100", "br101", "br102");
        NetworkPlan.BridgeNames("flat", 2).Should().Equal("flat", "flat1");
    }

    [Test]
    public void Macs_are_qemu_locally_administered_addresses_and_differ()
    {
        var macs = Enumerable.Range(0, 1000).Select(_ => MacAddresses.New()).ToList();

        macs.Should().OnlyContain(m => System.Text.RegularExpressions.Regex.IsMatch(m, "^52:54:00(:[0-9a-f]{2}){3}$"));
        macs.Distinct().Count().Should().BeGreaterThan(990);
    }

    [TestCase("Web Server_1", "web-server-1")]
    [TestCase("..db!!.example.", "db.example")]
    [TestCase("ÜBER", "ber")]
    [TestCase("", "instance-0000002a")]
    [TestCase("!!!", "instance-0000002a")]
    public void Hostnames_are_sanitized_display_names_or_the_domain_name(string displayName, string hostname) =>
        Hostnames.Sanitize(displayName, "instance-0000002a").Should().Be(hostname);

    [Test]
    public void The_three_managers_may_run_and_others_say_which_may()
    {
        foreach (var name in new[] { "FlatDHCPManager", "FlatManager", "VlanManager" })
        {
            NetworkManagers.Require("nova.network.manager." + name).Should().Be(name);
            NetworkManagers.Require(name).Should().Be(name);
        }
        ((Action)(() => NetworkManagers.Require("Quantum"))).Should().Throw<FlagException>().WithMessage("--network_manager=Quantum: use nova.network.manager.FlatDHCPManager*");
    }
}
