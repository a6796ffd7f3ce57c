using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary><c>cloudd manage network</c> and the network role's start-up check, as an operator runs them. SQLite only.</summary>
[Category("Integration")]
public sealed class NetworkCommandLineTests : SyncedStateFixture
{
    [Test]
    public async Task Networks_are_created_listed_as_in_the_seed_and_deleted_with_manage_network()
    {
        var created = await CloudProcess.RunAsync("manage", "network", "create", "public", "192.168.3.0/24", "1", "256", "--flat_network_dhcp_start=192.168.3.3", StatePath);
        var two = await CloudProcess.RunAsync("manage", "network", "create", "lab", "10.1.0.0/23", "2", "256", "--bridge=brlab0", "--dns=10.1.0.53", StatePath);
        var list = await CloudProcess.RunAsync("manage", "network", "list", StatePath);
        var deleted = await CloudProcess.RunAsync("manage", "network", "delete", "10.1.1.0/24", StatePath);
        var after = await CloudProcess.RunAsync("manage", "network", "list", StatePath);

        (created.ExitCode, created.Stdout).Should().Be((0, "created network public 192.168.3.0/24 on br100 (gateway 192.168.3.1, DHCP from 192.168.3.3)\n"));
        two.Stdout.Should().Be("created network lab 10.1.0.0/24 on brlab0 (gateway 10.1.0.1, DHCP from 10.1.0.2)\n"
            + "created network lab 10.1.1.0/24 on brlab1 (gateway 10.1.1.1, DHCP from 10.1.1.2)\n");
        var lines = list.Stdout.TrimEnd('\n').Split('\n');
        lines[0].Should().MatchRegex(@"^id\s+IPv4\s+IPv6\s+start address\s+DNS1\s+DNS2\s+VlanID\s+project\s+uuid\s*$");
        lines[1].Should().MatchRegex(@"^1\s+192\.168\.3\.0/24\s+None\s+192\.168\.3\.3\s+None\s+None\s+None\s+None\s+[0-9a-f-]{36}$");
        lines[2].Should().MatchRegex(@"^2\s+10\.1\.0\.0/24\s+None\s+10\.1\.0\.2\s+10\.1\.0\.53\s+None\s+None\s+None\s+[0-9a-f-]{36}$");
        lines.Should().HaveCount(4);
        (deleted.ExitCode, deleted.Stdout).Should().Be((0, "deleted network 10.1.1.0/24\n"));
        after.Stdout.Should().NotContain("10.1.1.0/24").And.Contain("10.1.0.0/24");
    }

    [Test]
    public async Task Bad_networks_are_refused_with_clear_errors()
    {
        await CloudProcess.RunAsync("manage", "network", "create", "private", "10.0.0.0/24", "1", "256", StatePath);

        var overlap = await CloudProcess.RunAsync("manage", "network", "create", "other", "10.0.0.0/16", "1", "256", "--bridge=br7", StatePath);
        var badCidr = await CloudProcess.RunAsync("manage", "network", "create", "other", "10.0.0/24", "1", "256", StatePath);
        var tooMany = await CloudProcess.RunAsync("manage", "network", "create", "other", "10.5.0.0/24", "4", "128", "--bridge=br7", StatePath);
        var missing = await CloudProcess.RunAsync("manage", "network", "delete", "10.9.0.0/24", StatePath);

        (overlap.ExitCode, overlap.Stderr).Should().Be((1, "cloudd: error: Network 10.0.0.0/24 overlaps the existing network 10.0.0.0/24 (private).\n"));
        badCidr.Stderr.Should().Be("cloudd: error: '10.0.0/24' is not an IPv4 CIDR such as 10.0.0.0/24 (prefix 1 to 30).\n");
        tooMany.Stderr.Should().Be("cloudd: error: 4 networks of 128 addresses need 512 addresses, but 10.5.0.0/24 has only 256.\n");
        missing.Stderr.Should().Be("cloudd: error: Network 10.9.0.0/24 could not be found.\n");
    }

    [Test]
    public async Task Fixed_ips_are_reserved_listed_and_unreserved_with_manage_fixed_and_bad_addresses_get_one_line()
    {
        await CloudProcess.RunAsync("manage", "network", "create", "private", "10.3.0.0/29", "1", "8", "--flat_network_dhcp_start=10.3.0.2", StatePath);

        var reserve = await CloudProcess.RunAsync("manage", "fixed", "reserve", "10.3.0.4", StatePath);
        var list = await CloudProcess.RunAsync("manage", "fixed", "list", StatePath);
        var unknown = await CloudProcess.RunAsync("manage", "fixed", "reserve", "10.9.9.9", StatePath);
        var notAnAddress = await CloudProcess.RunAsync("manage", "fixed", "unreserve", "10.3.0", StatePath);
        var unreserve = await CloudProcess.RunAsync("manage", "fixed", "unreserve", "10.3.0.4", StatePath);
        var after = await CloudProcess.RunAsync("manage", "fixed", "list", StatePath);

        (reserve.ExitCode, reserve.Stdout).Should().Be((0, "reserved 10.3.0.4\n"));
        var lines = list.Stdout.TrimEnd('\n').Split('\n');
        lines[0].Should().MatchRegex(@"^IP address\s+instance\s+MAC address\s+hostname\s+reserved\s+allocated\s+leased$");
        lines.Should().HaveCount(9);
        lines.Single(l => l.StartsWith("10.3.0.4 ", StringComparison.Ordinal)).Should().MatchRegex(@"^10\.3\.0\.4\s+None\s+None\s+None\s+True\s+False\s+False$");
        (unknown.ExitCode, unknown.Stderr).Should().Be((1, "cloudd: error: Fixed IP 10.9.9.9 not found: no network has it.\n"));
        (notAnAddress.ExitCode, notAnAddress.Stderr).Should().Be((1, "cloudd: error: 10.3.0 is not an IPv4 address.\n"));
        (unreserve.ExitCode, unreserve.Stdout).Should().Be((0, "unreserved 10.3.0.4\n"));
        after.Stdout.Split('\n').Single(l => l.StartsWith("10.3.0.4 ", StringComparison.Ordinal)).Should().MatchRegex(@"None\s+False\s+False\s+False$");
    }
}
