using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Swift.Common.Ring;
using FluentAssertions;
using NUnit.Framework;
using SwiftRing = Cloud.Modules.Swift.Common.Ring.Ring;

namespace Cloud.Tests.Unit.Swift;

public sealed class RingTests
{
    private const string Suffix = "changeme";

    private string _dir = default!;
    private RingBuilder _builder = default!;
    private string _ringPath = default!;

    [SetUp]
    public void WriteARing()
    {
        _dir = Directory.CreateTempSubdirectory("cloudd-ring-").FullName;
        _builder = RingBuilder.Create(10, 3, 1);
        for (var zone = 1; zone <= 4; zone++)
        {
            _builder.AddDevice($"z{zone}-10.0.{zone}.1:6000/sdb1", 100);
            _builder.AddDevice($"z{zone}-10.0.{zone}.2:6000/sdb1", 100);
        }
        _builder.Rebalance(7);
        _ringPath = Path.Combine(_dir, "object.ring.gz");
        _builder.WriteRing(_ringPath);
    }

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void The_ring_file_holds_the_builders_devices_and_table()
    {
        var ring = new SwiftRing(_ringPath, "", Suffix);

        ring.PartPower.Should().Be(10);
        ring.ReplicaCount.Should().Be(3);
        ring.Devices.Should().BeEquivalentTo(_builder.Devices);
        for (var part = 0; part < ring.PartitionCount; part++)
            ring.GetPartitionNodes(part).Select(d => d.Id).Should().Equal(_builder.GetPartitionDevices(part));
    }

    [Test]
    public void The_partition_is_the_top_bits_of_the_md5_of_prefix_path_and_suffix()
    {
        var ring = new SwiftRing(_ringPath, "pre", Suffix);
        var digest = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes("pre/AUTH_test/photos/cat.jpg" + Suffix)));
        var expected = (int)(Convert.ToUInt32(digest[..8], 16) >> (32 - 10));

        ring.GetPartition("AUTH_test", "photos", "cat.jpg").Should().Be(expected);
    }

    [Test]
    public void Get_nodes_is_stable_across_loads_and_changes_with_the_suffix()
    {
        var first = new SwiftRing(_ringPath, "", Suffix);
        var second = new SwiftRing(_ringPath, "", Suffix);
        var other = new SwiftRing(_ringPath, "", "another-secret");

        var paths = Enumerable.Range(0, 200).Select(i => ("AUTH_test", $"c{i % 7}", $"o{i}")).ToArray();
        foreach (var (a, c, o) in paths)
        {
            var (part, nodes) = first.GetNodes(a, c, o);
            second.GetNodes(a, c, o).Partition.Should().Be(part);
            second.GetNodes(a, c, o).Devices.Should().Equal(nodes);
            nodes.Should().HaveCount(3).And.OnlyHaveUniqueItems(n => n.Zone);
        }
        paths.Count(p => other.GetPartition(p.Item1, p.Item2, p.Item3) != first.GetPartition(p.Item1, p.Item2, p.Item3))
            .Should().BeGreaterThan(190);
        first.GetNodes("AUTH_test").Partition.Should().NotBe(first.GetNodes("AUTH_test", "c0").Partition);
    }

    [Test]
    public void Handoffs_never_repeat_a_primary_and_prefer_unused_zones()
    {
        var ring = new SwiftRing(_ringPath, "", Suffix);

        for (var part = 0; part < ring.PartitionCount; part += 37)
        {
            var primaries = ring.GetPartitionNodes(part);
            var handoffs = ring.GetMoreNodes(part).ToList();

            handoffs.Should().HaveCount(8 - 3).And.OnlyHaveUniqueItems(d => d.Id);
            handoffs.Select(d => d.Id).Should().NotIntersectWith(primaries.Select(d => d.Id));
            primaries.Select(d => d.Zone).Should().NotContain(handoffs[0].Zone, "a zone without a replica comes first");
            ring.GetMoreNodes(part).Should().Equal(handoffs, "every proxy must pick the same handoffs");
        }
    }

    [Test]
    public void A_ring_is_written_only_after_a_rebalance()
    {
        _builder.AddDevice("z5-10.0.5.1:6000/sdb1", 100);

        ((Action)(() => _builder.WriteRing(_ringPath))).Should().Throw<RingBuilderException>().WithMessage("*run rebalance*");
    }

    [Test]
    public void Loading_a_file_that_is_not_a_ring_says_so()
    {
        var path = Path.Combine(_dir, "bogus.ring.gz");
        File.WriteAllText(path, "not gzip");

        ((Action)(() => _ = new SwiftRing(path, "", Suffix))).Should().Throw<RingBuilderException>().WithMessage("Cannot read ring*");
    }
}
