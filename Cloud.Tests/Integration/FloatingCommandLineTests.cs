using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary><c>cloudd manage floating</c> as an operator runs it: nova-manage's list columns, and one-line refusals that change nothing. SQLite only.</summary>
[Category("Integration")]
public sealed class FloatingCommandLineTests : SyncedStateFixture
{
    [Test]
    public async Task Floating_ranges_are_created_listed_as_nova_manage_and_deleted()
    {
        var created = await CloudProcess.RunAsync("manage", "floating", "create", "172.24.4.8/30", StatePath);
        var single = await CloudProcess.RunAsync("manage", "floating", "create", "198.51.100.7", "--pool=lab", "--interface=eth9", StatePath);
        var list = await CloudProcess.RunAsync("manage", "floating", "list", StatePath);
        var deleted = await CloudProcess.RunAsync("manage", "floating", "delete", "172.24.4.8/30", StatePath);
        var after = await CloudProcess.RunAsync("manage", "floating", "list", StatePath);

        (created.ExitCode, created.Stdout).Should().Be((0, "created 2 floating IPs (172.24.4.9 - 172.24.4.10)\n"));
        single.Stdout.Should().Be("created 1 floating IPs (198.51.100.7 - 198.51.100.7)\n");
        list.Stdout.Should().Be("None\t172.24.4.9\tNone\tnova\teth0\nNone\t172.24.4.10\tNone\tnova\teth0\nNone\t198.51.100.7\tNone\tlab\teth9\n");
        (deleted.ExitCode, deleted.Stdout).Should().Be((0, "deleted 2 floating IPs\n"));
        after.Stdout.Should().Be("None\t198.51.100.7\tNone\tlab\teth9\n");
    }

    [Test]
    public async Task Bad_ranges_are_refused_in_one_line_and_change_nothing()
    {
        await CloudProcess.RunAsync("manage", "network", "create", "private", "10.0.0.0/24", "1", "256", StatePath);
        await CloudProcess.RunAsync("manage", "floating", "create", "172.24.4.8/30", StatePath);

        var notCidr = await CloudProcess.RunAsync("manage", "floating", "create", "172.24.4/28", StatePath);
        var overlap = await CloudProcess.RunAsync("manage", "floating", "create", "172.24.4.0/28", StatePath);
        var fixedRange = await CloudProcess.RunAsync("manage", "floating", "create", "10.0.0.128/25", StatePath);
        var huge = await CloudProcess.RunAsync("manage", "floating", "create", "172.0.0.0/8", StatePath);
        var missing = await CloudProcess.RunAsync("manage", "floating", "delete", "192.0.2.0/30", StatePath);
        var list = await CloudProcess.RunAsync("manage", "floating", "list", StatePath);

        (notCidr.ExitCode, notCidr.Stderr).Should().Be((1, "cloudd: error: '172.24.4/28' is not an IPv4 address or CIDR such as 172.24.4.0/28.\n"));
        overlap.Stderr.Should().Be("cloudd: error: Floating ip 172.24.4.9 already exists (pool nova).\n");
        fixedRange.Stderr.Should().Be("cloudd: error: Floating ip 10.0.0.129 lies in the fixed network 10.0.0.0/24 (private).\n");
        huge.Stderr.Should().Be("cloudd: error: Range 172.0.0.0/8 has 16777216 addresses; at most 65536 (a /16) at a time.\n");
        missing.Stderr.Should().Be("cloudd: error: No floating IP of that range exists.\n");
        list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2, "nothing was added or removed");
    }
}
