using Cloud.Modules.Swift.Common.Ring;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary><c>cloudd ring</c> as the seed's operator uses it (5.4.6): create, add, describe, rebalance.</summary>
[Category("Integration")]
public sealed class RingCommandTests
{
    [Test]
    public async Task The_seeds_ring_commands_build_a_ring_with_replicas_in_both_zones()
    {
        using var dir = new TempDir();
        var builder = Path.Combine(dir.Path, "object.builder");

        (await CloudProcess.RunAsync("ring", builder, "create", "18", "2", "1")).ExitCode.Should().Be(0);
        (await CloudProcess.RunAsync("ring", builder, "add", "z1-192.168.0.1:6000/sda5", "100")).Stdout.Should().Contain("got id 0");
        (await CloudProcess.RunAsync("ring", builder, "add", "z2-192.168.0.2:6000/sda5", "100")).Stdout.Should().Contain("got id 1");
        (await CloudProcess.RunAsync("ring", builder)).Stdout.Should().Contain("262144 partitions, 2 replicas").And.Contain("192.168.0.2");
        var rebalance = await CloudProcess.RunAsync("ring", builder, "rebalance");

        rebalance.ExitCode.Should().Be(0, rebalance.Stderr);
        rebalance.Stdout.Should().Contain("Reassigned 262144 (100.00%) partitions. Balance is now 0.00.");
        var ring = new Ring(Path.Combine(dir.Path, "object.ring.gz"), "", "cloudd");
        var (_, devices) = ring.GetNodes("AUTH_test", "photos", "cat.jpg");
        devices.Select(d => d.Zone).Should().BeEquivalentTo([1, 2]);
    }

    [TestCase("add zz-1:2/x 100", "Invalid device 'zz-1:2/x'")]
    [TestCase("create 18 2 1", "already exists")]
    [TestCase("remove 7", "7")]
    public async Task A_bad_ring_command_is_one_line_and_changes_nothing(string args, string message)
    {
        using var dir = new TempDir();
        var builder = Path.Combine(dir.Path, "object.builder");
        await CloudProcess.RunAsync("ring", builder, "create", "8", "2", "1");
        var before = await File.ReadAllBytesAsync(builder);

        var (code, _, stderr) = await CloudProcess.RunAsync(["ring", builder, .. args.Split(' ')]);

        code.Should().Be(1);
        stderr.Should().StartWith("cloudd: error: ").And.Contain(message);
        stderr.TrimEnd('\n').Should().NotContain("\n");
        (await File.ReadAllBytesAsync(builder)).Should().Equal(before);
    }
}
