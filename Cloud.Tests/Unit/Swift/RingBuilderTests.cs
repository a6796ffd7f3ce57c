using System.Diagnostics;
using Cloud.Modules.Swift.Common.Ring;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift;

public sealed class RingBuilderTests
{
    private const int Seed = 42;

    private ManualClock _clock = default!;
    private string _dir = default!;

    [SetUp]
    public void CreateClockAndDirectory()
    {
        _clock = new ManualClock(new DateTimeOffset(2011, 4, 15, 12, 0, 0, TimeSpan.Zero));
        _dir = Directory.CreateTempSubdirectory("cloudd-ring-").FullName;
    }

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void The_seed_example_balances_two_zones_at_part_power_18()
    {
        var builder = RingBuilder.Create(18, 2, 1, _clock);
        builder.AddDevice("z1-192.168.0.1:6000/sda5", 100);
        builder.AddDevice("z2-192.168.0.2:6000/sda5", 100);

        var result = builder.Rebalance(Seed);

        result.PartitionsMoved.Should().Be(262144);
        result.ToString().Should().Be("Reassigned 262144 (100.00%) partitions. Balance is now 0.00.");
        builder.PartitionCounts().Values.Should().Equal(262144, 262144);
        builder.GetPartitionDevices(12345).Should().BeEquivalentTo([0, 1]);
        builder.Describe("object.builder").Should()
            .Contain("262144 partitions, 2 replicas, 1 regions, 2 zones, 2 devices, 0.00 balance")
            .And.Contain("The minimum number of hours before a partition can be reassigned is 1");
    }

    [Test]
    public void Six_devices_at_part_power_18_rebalance_within_one_percent()
    {
        var builder = RingBuilder.Create(18, 3, 1, _clock);
        for (var i = 0; i < 6; i++)
            builder.AddDevice($"z{i % 3 + 1}-10.0.0.{i + 1}:6000/sdb1", 100);

        var watch = Stopwatch.StartNew();
        var result = builder.Rebalance(Seed);
        TestContext.Out.WriteLine($"part power 18, 3 replicas, 6 devices: {watch.ElapsedMilliseconds} ms, {result}");
        result.Balance.Should().BeLessThan(1);
    }

    [Test]
    public void Partitions_are_shared_in_proportion_to_weight()
    {
        var builder = RingBuilder.Create(10, 3, 1, _clock);
        for (var zone = 1; zone <= 3; zone++)
        {
            builder.AddDevice($"z{zone}-10.0.{zone}.1:6000/sdb1", 100);
            builder.AddDevice($"z{zone}-10.0.{zone}.2:6000/sdb1", 200);
        }

        builder.Rebalance(Seed);

        builder.GetBalance().Should().BeLessThan(2);
        var counts = builder.PartitionCounts();
        foreach (var dev in builder.Devices)
            counts[dev.Id].Should().BeCloseTo(dev.Weight == 100 ? 341 : 683, 7);
    }

    [Test]
    public void Replicas_of_a_partition_land_in_distinct_zones_when_there_are_enough_zones()
    {
        var builder = RingBuilder.Create(10, 3, 1, _clock);
        for (var zone = 1; zone <= 4; zone++)
        {
            builder.AddDevice($"z{zone}-10.0.{zone}.1:6000/sdb1", 100);
            builder.AddDevice($"z{zone}-10.0.{zone}.1:6000/sdc1", 100);
        }

        builder.Rebalance(Seed);

        var zoneOf = builder.Devices.ToDictionary(d => d.Id, d => d.Zone);
        for (var part = 0; part < builder.PartitionCount; part++)
            builder.GetPartitionDevices(part).Select(id => zoneOf[id]).Should().OnlyHaveUniqueItems($"partition {part}");
        builder.GetBalance().Should().BeLessThan(2);
    }

    [Test]
    public void With_fewer_zones_than_replicas_replicas_still_land_on_distinct_devices()
    {
        var builder = RingBuilder.Create(8, 3, 0, _clock);
        builder.AddDevice("z1-10.0.0.1:6000/sdb1", 100);
        builder.AddDevice("z1-10.0.0.1:6000/sdc1", 100);
        builder.AddDevice("z2-10.0.0.2:6000/sdb1", 100);

        builder.Rebalance(Seed);

        for (var part = 0; part < builder.PartitionCount; part++)
            builder.GetPartitionDevices(part).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void Adding_a_device_moves_about_its_fair_share_and_no_more()
    {
        var builder = RingBuilder.Create(10, 3, 1, _clock);
        for (var zone = 1; zone <= 5; zone++)
            builder.AddDevice($"z{zone}-10.0.{zone}.1:6000/sdb1", 100);
        builder.Rebalance(Seed);
        var before = Snapshot(builder);

        _clock.Advance(TimeSpan.FromHours(2));
        var added = builder.AddDevice("z6-10.0.6.1:6000/sdb1", 100);
        var result = builder.Rebalance(Seed);

        const int fairShare = 3 * 1024 / 6;
        var changedReplicas = CountChangedReplicas(before, Snapshot(builder));
        changedReplicas.Should().BeInRange(fairShare - 10, fairShare + 10);
        result.PartitionsMoved.Should().Be(changedReplicas, "one replica of a partition moves per rebalance");
        builder.PartitionCounts()[added.Id].Should().BeCloseTo(fairShare, 10);
        builder.GetBalance().Should().BeLessThan(2);
    }

    [Test]
    public void A_new_zone_takes_one_replica_of_every_crowded_partition()
    {
        var builder = RingBuilder.Create(10, 3, 1, _clock);
        for (var zone = 1; zone <= 2; zone++)
        {
            builder.AddDevice($"z{zone}-10.0.{zone}.1:6000/sdb1", 100);
            builder.AddDevice($"z{zone}-10.0.{zone}.2:6000/sdb1", 100);
        }
        builder.Rebalance(Seed);

        _clock.Advance(TimeSpan.FromHours(1));
        builder.AddDevice("z3-10.0.3.1:6000/sdb1", 100);
        builder.AddDevice("z3-10.0.3.2:6000/sdb1", 100);
        builder.Rebalance(Seed).PartitionsMoved.Should().Be(1024);

        var zoneOf = builder.Devices.ToDictionary(d => d.Id, d => d.Zone);
        for (var part = 0; part < builder.PartitionCount; part++)
            builder.GetPartitionDevices(part).Select(id => zoneOf[id]).Should().OnlyHaveUniqueItems($"partition {part}");
        builder.GetBalance().Should().BeLessThan(2);
    }

    [Test]
    public void Min_part_hours_blocks_moves_until_the_clock_advances()
    {
        var builder = RingBuilder.Create(10, 3, 1, _clock);
        for (var zone = 1; zone <= 3; zone++)
            builder.AddDevice($"z{zone}-10.0.{zone}.1:6000/sdb1", 100);
        builder.Rebalance(Seed);
        var added = builder.AddDevice("z4-10.0.4.1:6000/sdb1", 100);

        builder.Rebalance(Seed).PartitionsMoved.Should().Be(0);
        builder.PartitionCounts()[added.Id].Should().Be(0);

        _clock.Advance(TimeSpan.FromMinutes(59));
        builder.Rebalance(Seed).PartitionsMoved.Should().Be(0);

        _clock.Advance(TimeSpan.FromMinutes(1));
        builder.Rebalance(Seed).PartitionsMoved.Should().BeGreaterThan(700);
        builder.PartitionCounts()[added.Id].Should().BeCloseTo(768, 8);

        builder.Rebalance(Seed).PartitionsMoved.Should().Be(0, "partitions just moved wait another hour");
    }

    [Test]
    public void A_removed_device_loses_all_its_partitions_even_within_min_part_hours()
    {
        var builder = RingBuilder.Create(10, 2, 24, _clock);
        for (var zone = 1; zone <= 4; zone++)
            builder.AddDevice($"z{zone}-10.0.{zone}.1:6000/sdb1", 100);
        builder.Rebalance(Seed);
        var before = Snapshot(builder);
        var onRemoved = before.Sum(row => row.Count(id => id == 3));

        builder.RemoveDevice(3);
        builder.Rebalance(Seed).PartitionsMoved.Should().Be(onRemoved);

        Snapshot(builder).SelectMany(row => row).Should().NotContain(3);
        CountChangedReplicas(before, Snapshot(builder)).Should().Be(onRemoved, "only the removed device's replicas move");
        for (var part = 0; part < builder.PartitionCount; part++)
            builder.GetPartitionDevices(part).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void A_device_set_to_weight_zero_drains_once_min_part_hours_pass()
    {
        var builder = RingBuilder.Create(8, 2, 1, _clock);
        for (var zone = 1; zone <= 3; zone++)
            builder.AddDevice($"z{zone}-10.0.{zone}.1:6000/sdb1", 100);
        builder.Rebalance(Seed);

        builder.SetWeight(0, 0);
        builder.Rebalance(Seed).PartitionsMoved.Should().Be(0);
        _clock.Advance(TimeSpan.FromHours(1));
        builder.Rebalance(Seed);

        builder.PartitionCounts()[0].Should().Be(0);
        builder.GetBalance().Should().BeLessThan(2);
    }

    [Test]
    public void The_same_seed_gives_the_same_ring()
    {
        RingBuilder Build()
        {
            var b = RingBuilder.Create(10, 3, 0, _clock);
            for (var i = 1; i <= 7; i++)
                b.AddDevice($"z{i % 4 + 1}-10.0.0.{i}:6000/sdb1", 50 * i);
            b.Rebalance(Seed);
            b.AddDevice("z9-10.0.0.99:6000/sdb1", 300);
            b.Rebalance(Seed);
            return b;
        }

        Snapshot(Build()).Should().BeEquivalentTo(Snapshot(Build()), o => o.WithStrictOrdering());
    }

    [Test]
    public void A_saved_builder_loads_back_the_same_and_keeps_rebalancing_the_same()
    {
        var builder = RingBuilder.Create(10, 3, 1, _clock);
        for (var zone = 1; zone <= 4; zone++)
            builder.AddDevice($"r1z{zone}-10.0.{zone}.1:6000R10.1.{zone}.1:6004/sdb1_rack{zone}", 100);
        builder.Rebalance(Seed);
        var path = Path.Combine(_dir, "object.builder");

        builder.Save(path);
        var loaded = RingBuilder.Load(path, _clock);

        loaded.Describe().Should().Be(builder.Describe());
        loaded.Devices.Should().Equal(builder.Devices);
        Snapshot(loaded).Should().BeEquivalentTo(Snapshot(builder), o => o.WithStrictOrdering());

        loaded.Rebalance(Seed).PartitionsMoved.Should().Be(0, "the loaded builder remembers when partitions moved");
        _clock.Advance(TimeSpan.FromHours(1));
        builder.AddDevice("z5-10.0.5.1:6000/sdb1", 100);
        loaded.AddDevice("z5-10.0.5.1:6000/sdb1", 100);
        builder.Rebalance(Seed);
        loaded.Rebalance(Seed);
        Snapshot(loaded).Should().BeEquivalentTo(Snapshot(builder), o => o.WithStrictOrdering());
    }

    [Test]
    public void Loading_something_that_is_not_a_builder_says_so()
    {
        var path = Path.Combine(_dir, "object.builder");
        File.WriteAllText(path, "{\"format\":\"pickle\"}");

        ((Action)(() => RingBuilder.Load(path))).Should().Throw<RingBuilderException>().WithMessage("*not a cloudd ring builder*");
    }

    [Test]
    public void Describe_lists_each_device_like_swift_ring_builder()
    {
        var builder = RingBuilder.Create(10, 2, 1, _clock);
        builder.AddDevice("z1-192.168.0.1:6002/sda5", 100);
        builder.AddDevice("z2-192.168.0.2:6002/sda5_ssd", 100);
        builder.Rebalance(Seed);

        var lines = builder.Describe("account.builder").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        lines[0].Should().Be("account.builder, build version 3");
        lines[3].Should().StartWith("Devices:").And.Contain("partitions balance meta");
        lines[4].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("0", "1", "1", "192.168.0.1", "6002", "sda5", "100.00", "1024", "0.00");
        lines[5].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("1", "1", "2", "192.168.0.2", "6002", "sda5", "100.00", "1024", "0.00", "ssd");
    }

    [TestCase(0, 3, 1, "part_power 0")]
    [TestCase(33, 3, 1, "part_power 33")]
    [TestCase(10, 0, 1, "replicas 0")]
    [TestCase(10, 3, -1, "min_part_hours -1")]
    public void Bad_create_arguments_are_refused_by_name(int partPower, int replicas, int minPartHours, string message) =>
        ((Action)(() => RingBuilder.Create(partPower, replicas, minPartHours))).Should()
            .Throw<RingBuilderException>().WithMessage($"*{message}*");

    [Test]
    public void A_duplicate_device_is_refused()
    {
        var builder = RingBuilder.Create(10, 2, 1, _clock);
        builder.AddDevice("z1-192.168.0.1:6000/sda5", 100);

        ((Action)(() => builder.AddDevice("z2-192.168.0.1:6000/sda5", 100))).Should()
            .Throw<RingBuilderException>().WithMessage("*192.168.0.1:6000/sda5 is already in the ring as id 0*");
    }

    [Test]
    public void Rebalance_without_weighted_devices_and_unknown_ids_are_refused()
    {
        var builder = RingBuilder.Create(10, 2, 1, _clock);
        ((Action)(() => builder.Rebalance())).Should().Throw<RingBuilderException>().WithMessage("*no devices*");
        ((Action)(() => builder.RemoveDevice(7))).Should().Throw<RingBuilderException>().WithMessage("No device with id 7.");
        ((Action)(() => builder.SetWeight(7, 1))).Should().Throw<RingBuilderException>().WithMessage("No device with id 7.");
    }

    [Test]
    public void The_seed_add_syntax_parses_with_defaults()
    {
        var dev = RingDevice.Parse("z1-192.168.2.130:6000/sda5", 100);

        dev.Should().Be(new RingDevice(-1, 1, 1, "192.168.2.130", 6000, "192.168.2.130", 6000, "sda5", 100, ""));
        dev.ToAddString().Should().Be("r1z1-192.168.2.130:6000/sda5");
    }

    [TestCase("r2z3-10.0.0.1:6001/sdb1_fast disk", 2, 3, "10.0.0.1", 6001, "10.0.0.1", 6001, "sdb1", "fast disk")]
    [TestCase("z1-10.0.0.1:6000R10.1.0.1:6004/sdc", 1, 1, "10.0.0.1", 6000, "10.1.0.1", 6004, "sdc", "")]
    [TestCase("z4-[fe80::1]:6000/sdd1", 1, 4, "fe80::1", 6000, "fe80::1", 6000, "sdd1", "")]
    [TestCase("z5-storage-1.example:6000/sde", 1, 5, "storage-1.example", 6000, "storage-1.example", 6000, "sde", "")]
    public void Region_replication_address_ipv6_hostname_and_meta_parse(
        string spec, int region, int zone, string ip, int port, string replIp, int replPort, string device, string meta)
    {
        var dev = RingDevice.Parse(spec, 1);

        dev.Should().Be(new RingDevice(-1, region, zone, ip, port, replIp, replPort, device, 1, meta));
        RingDevice.Parse(dev.ToAddString(), 1).Should().Be(dev);
    }

    [TestCase("1-192.168.0.1:6000/sda5", "missing zone")]
    [TestCase("rz1-192.168.0.1:6000/sda5", "bad region")]
    [TestCase("zx-192.168.0.1:6000/sda5", "bad zone")]
    [TestCase("z1192.168.0.1:6000/sda5", "'-' after the zone")]
    [TestCase("z1-300.168.0.1:6000/sda5", "bad ip '300.168.0.1'")]
    [TestCase("z1-192.168.0:6000/sda5", "bad ip '192.168.0'")]
    [TestCase("z1-:6000/sda5", "bad ip ''")]
    [TestCase("z1-192.168.0.1/sda5", "':<port>' after the ip")]
    [TestCase("z1-192.168.0.1:port/sda5", "bad port ''")]
    [TestCase("z1-192.168.0.1:70000/sda5", "bad port '70000'")]
    [TestCase("z1-192.168.0.1:6000sda5", "'/<device>' after the port")]
    [TestCase("z1-192.168.0.1:6000/", "missing device name")]
    [TestCase("z1-192.168.0.1:6000R10.0.0.1/sda5", "':<port>' after the replication ip")]
    [TestCase("z1-[::1:6000/sda5", "unterminated '['")]
    public void A_bad_add_string_names_the_bad_part(string spec, string message) =>
        ((Action)(() => RingDevice.Parse(spec, 100))).Should().Throw<RingBuilderException>()
            .WithMessage($"Invalid device '{spec}': *{message}*");

    [TestCase(-1)]
    [TestCase(double.NaN)]
    public void A_negative_or_missing_weight_is_refused(double weight) =>
        ((Action)(() => RingDevice.Parse("z1-192.168.0.1:6000/sda5", weight))).Should().Throw<RingBuilderException>()
            .WithMessage("Invalid weight*");

    private static int[][] Snapshot(RingBuilder builder) =>
        Enumerable.Range(0, (int)builder.PartitionCount).Select(p => builder.GetPartitionDevices(p).ToArray()).ToArray();

    private static int CountChangedReplicas(int[][] before, int[][] after) =>
        before.Zip(after).Sum(pair => pair.First.Zip(pair.Second).Count(x => x.First != x.Second));

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
