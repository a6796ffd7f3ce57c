using Cloud.Modules.Compute.Firewall;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute.Firewall;

/// <summary>How instances' security groups become iptables rules, through the recorded command seam.</summary>
public sealed class IptablesFirewallTests
{
    private const string A = "0a1b2c3d-4e5f-4711-8000-000000000001";
    private const string B = "ffeeddcc-bbaa-4711-8000-000000000002";

    private static InstanceFilter Filter(string uuid, string address, string? sameNet, params IngressRule[] rules) =>
        new(uuid, "tap" + IptablesRules.Key(uuid), "52:54:00:00:00:0a", address, "10.0.0.1", sameNet, rules);

    [Test]
    public void Rules_render_protocols_port_ranges_icmp_types_and_sources()
    {
        var lines = IptablesRules.Chains(Filter(A, "10.0.0.5", null,
            new IngressRule("tcp", 22, 22, "0.0.0.0/0"),
            new IngressRule("udp", 1000, 2000, "192.168.0.0/16"),
            new IngressRule("icmp", -1, -1, "0.0.0.0/0"),
            new IngressRule("icmp", 8, -1, "10.0.0.7/32"),
            new IngressRule("icmp", 3, 4, "0.0.0.0/0"))).ToList();

        lines.Should().Equal(
            "-A cloudd-spoof-0a1b2c3d4e5f -p udp -m udp --sport 67 --dport 68 -j DROP",
            "-A cloudd-spoof-0a1b2c3d4e5f -s 0.0.0.0/32 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 -m mac --mac-source 52:54:00:00:00:0a -j RETURN",
            "-A cloudd-spoof-0a1b2c3d4e5f -s 10.0.0.5/32 -m mac --mac-source 52:54:00:00:00:0a -j RETURN",
            "-A cloudd-spoof-0a1b2c3d4e5f -j DROP",
            "-A cloudd-inst-0a1b2c3d4e5f -m conntrack --ctstate INVALID -j DROP",
            "-A cloudd-inst-0a1b2c3d4e5f -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "-A cloudd-inst-0a1b2c3d4e5f -s 10.0.0.1/32 -p udp -m udp --sport 67 --dport 68 -j ACCEPT",
            "-A cloudd-inst-0a1b2c3d4e5f -s 169.254.169.254/32 -p tcp -m tcp --sport 80 -j ACCEPT",
            "-A cloudd-inst-0a1b2c3d4e5f -p tcp -m tcp --dport 22 -j ACCEPT",
            "-A cloudd-inst-0a1b2c3d4e5f -s 192.168.0.0/16 -p udp -m udp --dport 1000:2000 -j ACCEPT",
            "-A cloudd-inst-0a1b2c3d4e5f -p icmp -j ACCEPT",
            "-A cloudd-inst-0a1b2c3d4e5f -s 10.0.0.7/32 -p icmp -m icmp --icmp-type 8 -j ACCEPT",
            "-A cloudd-inst-0a1b2c3d4e5f -p icmp -m icmp --icmp-type 3/4 -j ACCEPT",
            "-A cloudd-inst-0a1b2c3d4e5f -j DROP");
    }

    [Test]
    public void Same_net_traffic_is_admitted_before_the_rules_only_when_allowed()
    {
        IptablesRules.Chains(Filter(A, "10.0.0.5", "10.0.0.0/24")).Should().Contain("-A cloudd-inst-0a1b2c3d4e5f -s 10.0.0.0/24 -j ACCEPT");
        IptablesRules.Chains(Filter(A, "10.0.0.5", null)).Should().NotContain(l => l.Contains("10.0.0.0/24", StringComparison.Ordinal));
    }

    [Test]
    public void Every_anti_spoofing_jump_precedes_every_ingress_jump()
    {
        IptablesRules.Dispatch([Filter(B, "10.0.0.6", null), Filter(A, "10.0.0.5", null)]).Should().Equal(
            "-A cloudd-FORWARD -m physdev --physdev-in tap0a1b2c3d4e5f --physdev-is-bridged -j cloudd-spoof-0a1b2c3d4e5f",
            "-A cloudd-FORWARD -m physdev --physdev-in tapffeeddccbbaa --physdev-is-bridged -j cloudd-spoof-ffeeddccbbaa",
            "-A cloudd-FORWARD -m physdev --physdev-out tap0a1b2c3d4e5f --physdev-is-bridged -j cloudd-inst-0a1b2c3d4e5f",
            "-A cloudd-FORWARD -m physdev --physdev-out tapffeeddccbbaa --physdev-is-bridged -j cloudd-inst-ffeeddccbbaa");
    }

    [Test]
    public async Task Sync_hooks_forward_writes_all_chains_in_one_restore_and_deletes_stale_ones()
    {
        var commands = new RecordingFirewallCommands { Save = "*filter\n:FORWARD ACCEPT [0:0]\n:cloudd-inst-0123456789ab - [0:0]\n:cloudd-spoof-0123456789ab - [0:0]\nCOMMIT\n" };
        var driver = new IptablesFirewallDriver(commands, NullLogger<IptablesFirewallDriver>.Instance);

        (await driver.SyncAsync([Filter(A, "10.0.0.5", null)], default)).Should().Be(1);

        commands.Commands.Select(c => c.Command).Should().Contain("iptables -w -t filter -N cloudd-FORWARD")
            .And.Contain("iptables -w -t filter -I FORWARD 1 -j cloudd-FORWARD")
            .And.Contain("sysctl -q -w net.bridge.bridge-nf-call-iptables=1");
        var script = commands.Restores.Should().ContainSingle().Subject;
        script.Should().StartWith("*filter\n:cloudd-FORWARD - [0:0]\n:cloudd-inst-0a1b2c3d4e5f - [0:0]\n:cloudd-spoof-0a1b2c3d4e5f - [0:0]\n");
        script.Should().EndWith("COMMIT\n*filter\n-X cloudd-inst-0123456789ab\n-X cloudd-spoof-0123456789ab\nCOMMIT\n");
    }

    [Test]
    public async Task A_changed_rule_rewrites_only_the_affected_instances_chains_and_not_the_jumps()
    {
        var commands = new RecordingFirewallCommands { BaseExists = true };
        var driver = new IptablesFirewallDriver(commands, NullLogger<IptablesFirewallDriver>.Instance);
        await driver.SyncAsync([Filter(A, "10.0.0.5", null), Filter(B, "10.0.0.6", null)], default);
        commands.Commands.Clear();

        (await driver.ApplyAsync([Filter(A, "10.0.0.5", null, new IngressRule("tcp", 22, 22, "0.0.0.0/0")), Filter(B, "10.0.0.6", null)], default)).Should().Be(1);

        var script = commands.Restores.Should().ContainSingle().Subject;
        script.Should().Contain(":cloudd-inst-0a1b2c3d4e5f - [0:0]").And.Contain("--dport 22")
            .And.NotContain("ffeeddccbbaa").And.NotContain("cloudd-FORWARD");
        (await driver.ApplyAsync([Filter(B, "10.0.0.6", null)], default)).Should().Be(0, "nothing changed for B");
        commands.Restores.Should().ContainSingle();
    }

    [Test]
    public async Task A_new_instance_adds_its_jumps_and_a_removed_one_takes_its_chains_with_it()
    {
        var commands = new RecordingFirewallCommands { BaseExists = true };
        var driver = new IptablesFirewallDriver(commands, NullLogger<IptablesFirewallDriver>.Instance);
        await driver.SyncAsync([Filter(A, "10.0.0.5", null)], default);
        commands.Commands.Clear();

        await driver.ApplyAsync([Filter(B, "10.0.0.6", null)], default);
        var added = commands.Restores.Single();
        added.Should().Contain(":cloudd-FORWARD - [0:0]").And.Contain("-j cloudd-inst-0a1b2c3d4e5f").And.Contain("-j cloudd-inst-ffeeddccbbaa")
            .And.NotContain(":cloudd-inst-0a1b2c3d4e5f", "A's chains are not rewritten");

        await driver.RemoveAsync(A, default);
        var removed = commands.Restores.Last();
        removed.Should().Contain(":cloudd-FORWARD - [0:0]").And.Contain("-j cloudd-inst-ffeeddccbbaa").And.NotContain("-j cloudd-inst-0a1b2c3d4e5f")
            .And.EndWith("*filter\n-X cloudd-inst-0a1b2c3d4e5f\n-X cloudd-spoof-0a1b2c3d4e5f\nCOMMIT\n");
    }
}
