using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary><c>cloudd manage network create|list</c> under VlanManager, as an operator runs them. SQLite only.</summary>
[Category("Integration")]
public sealed class VlanNetworkCommandLineTests : SyncedStateFixture
{
    private const string Vlan = "--network_manager=nova.network.manager.VlanManager";

    [Test]
    public async Task Vlan_networks_are_created_for_projects_and_listed_as_nova_manage_did()
    {
        await ProjectAsync();
        var seed = await CloudProcess.RunAsync("manage", "network", "create", "private", "192.168.0.0/24", "1", "256", Vlan, StatePath);
        var owned = await CloudProcess.RunAsync("manage", "network", "create", "lab", "10.20.0.0/24", "1", "256", "--vlan=200", "--project=testing", Vlan, StatePath);
        var list = await CloudProcess.RunAsync("manage", "network", "list", Vlan, StatePath);

        (seed.ExitCode, seed.Stdout).Should().Be((0, "created network private 192.168.0.0/24 on br100 (gateway 192.168.0.1, DHCP from 192.168.0.3, VLAN 100)\n"));
        owned.Stdout.Should().MatchRegex(@"^created network lab 10\.20\.0\.0/24 on br200 \(gateway 10\.20\.0\.1, DHCP from 10\.20\.0\.3, VLAN 200, project \S+\)\n$");
        var lines = list.Stdout.TrimEnd('\n').Split('\n');
        lines[0].Should().Be("id   \tIPv4              \tIPv6           \tstart address  \tDNS1           \tDNS2           \tVlanID         \tproject        \tuuid           ");
        lines[1].Should().MatchRegex(@"^1    \t192\.168\.0\.0/24    \tNone           \t192\.168\.0\.3    \tNone           \tNone           \t100            \tNone           \t[0-9a-f-]{36}$");
        lines[2].Should().MatchRegex(@"^2    \t10\.20\.0\.0/24      \tNone           \t10\.20\.0\.3      \tNone           \tNone           \t200            \t\S+\s*\t[0-9a-f-]{36}$");
        lines.Should().HaveCount(3);
    }

    [Test]
    public async Task Bad_vlan_networks_are_refused_with_one_line_and_change_nothing()
    {
        await ProjectAsync();
        await CloudProcess.RunAsync("manage", "network", "create", "private", "10.0.0.0/24", "1", "256", "--project=testing", Vlan, StatePath);
        var before = (await CloudProcess.RunAsync("manage", "network", "list", Vlan, StatePath)).Stdout;

        var refusals = new (string[] Args, string Error)[]
        {
            (["other", "10.0.0.0/16", "1", "256", "--vlan=300"], "Network 10.0.0.0/24 overlaps the existing network 10.0.0.0/24 (private)."),
            (["other", "10.5.0.0/24", "4", "128", "--vlan=300"], "4 networks of 128 addresses need 512 addresses, but 10.5.0.0/24 has only 256."),
            (["other", "10.5.0.0/24", "1", "256", "--vlan=0"], "VLAN 0 is not a VLAN id (1-4094)."),
            (["other", "10.5.0.0/24", "1", "256", "--vlan=4095"], "VLAN 4095 is not a VLAN id (1-4094)."),
            (["other", "10.5.0.0/24", "2", "128", "--vlan=4094"], "2 networks from VLAN 4094 need VLANs up to 4095, past 4094."),
            (["other", "10.5.0.0/24", "1", "256", "--vlan=300", "--project=nosuch"], "Project nosuch could not be found."),
            (["other", "10.5.0.0/24", "1", "256"], "VLAN 100 already carries network 10.0.0.0/24 (private)."),
            (["other", "10.5.0.0/24", "1", "256", "--vlan=300", "--project=testing"], "Project * already has network 10.0.0.0/24 (VLAN 100); VlanManager gives a project one network."),
        };
        foreach (var (args, error) in refusals)
        {
            var run = await CloudProcess.RunAsync(["manage", "network", "create", .. args, Vlan, StatePath]);
            run.ExitCode.Should().Be(1, string.Join(' ', args));
            run.Stderr.Should().Match($"cloudd: error: {error}\n", string.Join(' ', args));
        }
        (await CloudProcess.RunAsync("manage", "network", "list", Vlan, StatePath)).Stdout.Should().Be(before);
    }

    private async Task ProjectAsync()
    {
        (await CloudProcess.RunAsync("manage", "user", "admin", "berendt", "--password=secret", StatePath)).ExitCode.Should().Be(0);
        (await CloudProcess.RunAsync("manage", "project", "create", "testing", "berendt", StatePath)).ExitCode.Should().Be(0);
    }
}
