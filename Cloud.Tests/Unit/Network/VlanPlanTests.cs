using Cloud.Modules.Kernel;
using Cloud.Modules.Network;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Network;

/// <summary>VlanManager's planning: VLAN ids, bridge names, subnets and the network a project gets on demand.</summary>
public sealed class VlanPlanTests
{
    [Test]
    public void Network_i_gets_vlan_start_plus_i_its_bridge_and_subnet_i_handing_out_from_the_third_address()
    {
        var networks = VlanPlan.Split("192.168.0.0/24", 2, 128);

        VlanPlan.Vlans(100, 2).Select(VlanPlan.BridgeOf).Should().Equal("br100", "br101");
        networks.Select(n => (n.Cidr, n.Gateway, n.DhcpStart)).Should().Equal(
            ("192.168.0.0/25", "192.168.0.1", "192.168.0.3"), ("192.168.0.128/25", "192.168.0.129", "192.168.0.131"));
        networks[0].Addresses.Where(a => a.Reserved).Select(a => a.Address).Should().Equal("192.168.0.0", "192.168.0.1", "192.168.0.2", "192.168.0.127");
    }

    [TestCase(0, 1, "VLAN 0 is not a VLAN id (1-4094).")]
    [TestCase(4095, 1, "VLAN 4095 is not a VLAN id (1-4094).")]
    [TestCase(4094, 2, "2 networks from VLAN 4094 need VLANs up to 4095, past 4094.")]
    public void Vlans_outside_1_to_4094_are_refused(int first, int count, string message) =>
        ((Action)(() => VlanPlan.Vlans(first, count))).Should().Throw<CloudException>().WithMessage(message);

    [Test]
    public void A_project_gets_the_first_slot_whose_vlan_and_subnet_are_free()
    {
        NetworkRecord Existing(string cidr, int vlan) => new() { Cidr = cidr, Vlan = vlan };

        VlanPlan.NextFree("10.0.0.0/16", 3, 256, 100, []).Should().Match<(PlannedNetwork Network, int Vlan)?>(n => n!.Value.Network.Cidr == "10.0.0.0/24" && n.Value.Vlan == 100);
        var next = VlanPlan.NextFree("10.0.0.0/16", 3, 256, 100, [Existing("10.0.0.0/24", 100), Existing("10.0.1.0/25", 300)])!.Value;
        (next.Network.Cidr, next.Vlan, next.Network.DhcpStart).Should().Be(("10.0.2.0/24", 102, "10.0.2.3"));
        VlanPlan.NextFree("10.0.0.0/16", 1, 256, 100, [Existing("172.16.0.0/24", 100)]).Should().BeNull();
    }

    [Test]
    public void Flags_whose_networks_do_not_fit_the_fixed_range_are_refused() =>
        ((Action)(() => VlanPlan.NextFree("10.0.0.0/24", 4, 128, 100, []))).Should().Throw<CloudException>()
            .WithMessage("--num_networks=4 networks of --network_size=128 addresses do not fit --fixed_range=10.0.0.0/24.");
}
