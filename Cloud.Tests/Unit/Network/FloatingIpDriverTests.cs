using Cloud.Modules.Network.Drivers;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Network;

/// <summary>The floating NAT a network host converges to: what is added, what is removed, and that nothing is added twice.</summary>
public sealed class FloatingIpDriverTests
{
    private static readonly FloatingNat Web = new("172.24.4.10", "10.0.0.3", "ext0");

    [Test]
    public async Task A_bare_host_gets_chains_jumps_address_dnat_and_snat()
    {
        var host = new RecordedCommands()
            .Answer("iptables -t nat -S cloudd-float-dnat", "", exitCode: 1)
            .Answer("iptables -t nat -S cloudd-float-dnat", "-N cloudd-float-dnat\n")
            .Answer("iptables -t nat -C PREROUTING -j cloudd-float-dnat", "", exitCode: 1)
            .Answer("iptables -t nat -C OUTPUT -j cloudd-float-dnat", "", exitCode: 1)
            .Answer("iptables -t nat -S cloudd-float-snat", "", exitCode: 1)
            .Answer("iptables -t nat -S cloudd-float-snat", "-N cloudd-float-snat\n")
            .Answer("iptables -t nat -C POSTROUTING -j cloudd-float-snat", "", exitCode: 1)
            .Answer("ip -o -4 addr show dev ext0", "3: ext0    inet 172.24.4.1/24 brd 172.24.4.255 scope global ext0\\       valid_lft forever\n");

        await Driver(host).EnsureAsync([Web], [("172.24.4.10", "ext0"), ("172.24.4.11", "ext0")], null, default);

        host.Changes.Should().Equal(
            "iptables -t nat -N cloudd-float-dnat",
            "iptables -t nat -I PREROUTING 1 -j cloudd-float-dnat",
            "iptables -t nat -I OUTPUT 1 -j cloudd-float-dnat",
            "iptables -t nat -N cloudd-float-snat",
            "iptables -t nat -I POSTROUTING 1 -j cloudd-float-snat",
            "iptables -t nat -A cloudd-float-dnat -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.3",
            "iptables -t nat -A cloudd-float-snat -s 10.0.0.3/32 -o ext0 -j SNAT --to-source 172.24.4.10",
            "ip addr add 172.24.4.10/32 dev ext0");
    }

    [Test]
    public async Task A_host_already_in_step_changes_nothing()
    {
        var host = InStep();

        await Driver(host).EnsureAsync([Web], [("172.24.4.10", "ext0")], null, default);

        host.Changes.Should().BeEmpty();
    }

    [Test]
    public async Task A_moved_address_loses_its_old_rules_and_gets_the_new_ones()
    {
        var host = InStep();

        await Driver(host).EnsureAsync([Web with { FixedAddress = "10.0.0.4" }], [("172.24.4.10", "ext0")], null, default);

        host.Changes.Should().Equal(
            "iptables -t nat -D cloudd-float-dnat -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.3",
            "iptables -t nat -A cloudd-float-dnat -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.4",
            "iptables -t nat -D cloudd-float-snat -s 10.0.0.3/32 -o ext0 -j SNAT --to-source 172.24.4.10",
            "iptables -t nat -A cloudd-float-snat -s 10.0.0.4/32 -o ext0 -j SNAT --to-source 172.24.4.10");
    }

    [Test]
    public async Task The_last_disassociated_address_leaves_its_interface_and_the_floating_chains_go()
    {
        var host = InStep();

        await Driver(host).EnsureAsync([], [("172.24.4.10", "ext0")], null, default);

        host.Changes.Should().Equal(
            "iptables -t nat -D PREROUTING -j cloudd-float-dnat",
            "iptables -t nat -D OUTPUT -j cloudd-float-dnat",
            "iptables -t nat -D POSTROUTING -j cloudd-float-snat",
            "iptables -t nat -F cloudd-float-dnat",
            "iptables -t nat -X cloudd-float-dnat",
            "iptables -t nat -F cloudd-float-snat",
            "iptables -t nat -X cloudd-float-snat",
            "ip addr del 172.24.4.10/32 dev ext0");
    }

    [Test]
    public async Task A_host_that_never_had_floating_ips_is_left_alone()
    {
        var host = new RecordedCommands()
            .Answer("iptables -t nat -C PREROUTING -j cloudd-float-dnat", "", exitCode: 1)
            .Answer("iptables -t nat -C OUTPUT -j cloudd-float-dnat", "", exitCode: 1)
            .Answer("iptables -t nat -C POSTROUTING -j cloudd-float-snat", "", exitCode: 1)
            .Answer("iptables -t nat -S cloudd-float-dnat", "", exitCode: 1)
            .Answer("iptables -t nat -S cloudd-float-snat", "", exitCode: 1);

        await Driver(host).EnsureAsync([], [], null, default);

        host.Changes.Should().BeEmpty();
    }

    [Test]
    public async Task A_missing_public_interface_keeps_the_rules_and_skips_the_address()
    {
        var host = InStep().Answer("ip -o -4 addr show dev ext0", "", exitCode: 1);

        await Driver(host).EnsureAsync([Web], [("172.24.4.10", "ext0")], null, default);

        host.Changes.Should().BeEmpty();
    }

    [Test]
    public async Task Traffic_to_a_remote_metadata_host_keeps_the_guests_fixed_ip()
    {
        var host = InStep();

        await Driver(host).EnsureAsync([Web], [("172.24.4.10", "ext0")], "192.0.2.10", default);

        host.Changes.Should().Equal(
            "iptables -t nat -D cloudd-float-snat -s 10.0.0.3/32 -o ext0 -j SNAT --to-source 172.24.4.10",
            "iptables -t nat -A cloudd-float-snat -s 10.0.0.3/32 ! -d 192.0.2.10/32 -o ext0 -j SNAT --to-source 172.24.4.10");
    }

    private static RecordedCommands InStep() => new RecordedCommands()
        .Answer("iptables -t nat -S cloudd-float-dnat", "-N cloudd-float-dnat\n-A cloudd-float-dnat -d 172.24.4.10/32 -j DNAT --to-destination 10.0.0.3\n")
        .Answer("iptables -t nat -S cloudd-float-snat", "-N cloudd-float-snat\n-A cloudd-float-snat -s 10.0.0.3/32 -o ext0 -j SNAT --to-source 172.24.4.10\n")
        .Answer("ip -o -4 addr show dev ext0", "3: ext0    inet 172.24.4.1/24 scope global ext0\n3: ext0    inet 172.24.4.10/32 scope global ext0\n");

    private static FloatingIpDriver Driver(RecordedCommands host) => new(host, NullLogger<FloatingIpDriver>.Instance);
}
