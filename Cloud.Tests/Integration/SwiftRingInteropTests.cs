using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Modules.Swift.Common.Ring;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;
using SwiftRing = Cloud.Modules.Swift.Common.Ring.Ring;

namespace Cloud.Tests.Integration;

/// <summary>
/// Rings move between cloudd and OpenStack Swift: the real <c>swift.common.ring</c> (Debian's python3-swift)
/// reads what cloudd writes, cloudd reads what <c>swift-ring-builder</c> writes, and both place every name
/// on the same partition and devices.
/// </summary>
[Category("Integration")]
public sealed class SwiftRingInteropTests
{
    private const string Prefix = "pre";
    private const string Suffix = "changeme-ü";
    private const string SwiftMarker = "/usr/lib/python3/dist-packages/swift/__init__.py";

    // Asks swift's own Ring for everything placement depends on. hash_path reads these module globals,
    // which swift.conf would otherwise fill (as latin1 bytes of the file, i.e. the UTF-8 bytes here).
    private const string SwiftView = """
        import json, sys
        from swift.common import utils
        from swift.common.ring import Ring
        req = json.load(sys.stdin)
        utils.HASH_PATH_PREFIX = req['prefix'].encode('utf8')
        utils.HASH_PATH_SUFFIX = req['suffix'].encode('utf8')
        ring = Ring(req['ring'])
        json.dump({
            'part_power': 32 - ring._part_shift,
            'replicas': ring.replica_count,
            'devs': ring.devs,
            'parts': [[n['id'] for n in ring.get_part_nodes(p)] for p in range(ring.partition_count)],
            'names': [[part, [n['id'] for n in nodes]]
                      for part, nodes in (ring.get_nodes(*name) for name in req['names'])],
        }, sys.stdout)
        """;

    private static readonly string?[][] Names = MakeNames();

    [Test]
    public async Task A_ring_written_by_cloudd_loads_in_swift_with_the_same_placement_for_every_name()
    {
        var python = RequireSwift();
        using var dir = new TempDir();
        var builder = RingBuilder.Create(10, 3, 1);
        for (var zone = 1; zone <= 5; zone++)
            builder.AddDevice($"r1z{zone}-127.0.0.{zone}:60{zone}0R10.0.0.{zone}:70{zone}0/sdb{zone}_disk {zone} ü", 100 + zone);
        // A removed id leaves a null hole in swift's devs list, which swift must still index correctly.
        builder.RemoveDevice(1);
        builder.Rebalance(7);
        var path = Path.Combine(dir.Path, "object.ring.gz");
        builder.WriteRing(path);

        var swift = await AskSwiftAsync(python, dir.Path, path);
        var ring = new SwiftRing(path, Prefix, Suffix);

        ShouldAgree(ring, swift);
        var devs = swift["devs"]!.AsArray();
        devs.Should().HaveCount(5);
        devs[1].Should().BeNull();
        foreach (var device in builder.Devices)
        {
            var dev = devs[device.Id]!;
            dev["ip"]!.GetValue<string>().Should().Be(device.Ip);
            dev["port"]!.GetValue<int>().Should().Be(device.Port);
            dev["replication_ip"]!.GetValue<string>().Should().Be(device.ReplicationIp);
            dev["replication_port"]!.GetValue<int>().Should().Be(device.ReplicationPort);
            dev["device"]!.GetValue<string>().Should().Be(device.Device);
            dev["meta"]!.GetValue<string>().Should().Be(device.Meta);
            dev["region"]!.GetValue<int>().Should().Be(device.Region);
            dev["zone"]!.GetValue<int>().Should().Be(device.Zone);
            dev["weight"]!.GetValue<double>().Should().Be(device.Weight);
        }
    }

    [Test]
    public async Task A_ring_built_by_swift_ring_builder_loads_in_cloudd_with_the_same_placement_for_every_name()
    {
        var python = RequireSwift();
        var ringBuilder = ExternalTool.Require("/usr/bin/swift-ring-builder", "swift");
        using var dir = new TempDir();
        var builderPath = Path.Combine(dir.Path, "object.builder");
        await SwiftRingBuilderAsync(ringBuilder, dir.Path, builderPath, "create", "10", "3", "1");
        for (var zone = 1; zone <= 4; zone++)
            await SwiftRingBuilderAsync(ringBuilder, dir.Path, builderPath, "add", $"r1z{zone}-127.0.0.{zone}:6000/sda{zone}", "100");
        await SwiftRingBuilderAsync(ringBuilder, dir.Path, builderPath, "rebalance");
        var path = Path.Combine(dir.Path, "object.ring.gz");

        var swift = await AskSwiftAsync(python, dir.Path, path);
        var ring = new SwiftRing(path, Prefix, Suffix);

        ShouldAgree(ring, swift);
        ring.Devices.Select(d => (d.Id, d.Region, d.Zone, d.Ip, d.Port, d.ReplicationIp, d.ReplicationPort, d.Device, d.Weight, d.Meta))
            .Should().BeEquivalentTo(Enumerable.Range(1, 4).Select(z =>
                (z - 1, 1, z, $"127.0.0.{z}", 6000, $"127.0.0.{z}", 6000, $"sda{z}", 100.0, "")));
    }

    [Test]
    public async Task A_cloudd_ring_saved_again_by_swift_reads_back_in_cloudd_unchanged()
    {
        var python = RequireSwift();
        using var dir = new TempDir();
        var builder = RingBuilder.Create(8, 2, 1);
        builder.AddDevice("z1-127.0.0.1:6000/sda1", 100);
        builder.AddDevice("z2-127.0.0.2:6000/sda1", 100);
        builder.Rebalance(3);
        var path = Path.Combine(dir.Path, "object.ring.gz");
        builder.WriteRing(path);

        // Swift loads cloudd's ring and saves it again with its own serializer; cloudd reads that copy identically.
        var copy = Path.Combine(dir.Path, "copy.ring.gz");
        var resave = await ExternalTool.RunAsync(python,
            ["-c", "import sys\nfrom swift.common.ring import RingData\nRingData.load(sys.argv[1]).save(sys.argv[2])", path, copy], dir.Path);
        resave.ExitCode.Should().Be(0, resave.ToString());

        var original = new SwiftRing(path, Prefix, Suffix);
        var resaved = new SwiftRing(copy, Prefix, Suffix);
        resaved.Devices.Should().BeEquivalentTo(original.Devices);
        for (var part = 0; part < original.PartitionCount; part++)
            resaved.GetPartitionNodes(part).Should().Equal(original.GetPartitionNodes(part));
    }

    private static void ShouldAgree(SwiftRing ring, JsonNode swift)
    {
        ring.PartPower.Should().Be(swift["part_power"]!.GetValue<int>());
        ring.ReplicaCount.Should().Be((int)swift["replicas"]!.GetValue<double>());

        var parts = swift["parts"]!.AsArray();
        parts.Should().HaveCount((int)ring.PartitionCount);
        for (var part = 0; part < parts.Count; part++)
            ring.GetPartitionNodes(part).Select(d => d.Id).Should().Equal(Ids(parts[part]!), $"partition {part} must have swift's devices in swift's order");

        var placed = swift["names"]!.AsArray();
        placed.Should().HaveCount(Names.Length);
        for (var i = 0; i < Names.Length; i++)
        {
            var (partition, devices) = ring.GetNodes(Names[i][0]!, Names[i][1], Names[i][2]);
            var because = $"'/{string.Join('/', Names[i].Where(n => n is not null))}' must land where swift puts it";
            partition.Should().Be(placed[i]![0]!.GetValue<int>(), because);
            devices.Select(d => d.Id).Should().Equal(Ids(placed[i]![1]!), because);
        }
    }

    private static int[] Ids(JsonNode node) => [.. node.AsArray().Select(id => id!.GetValue<int>())];

    private static async Task<JsonNode> AskSwiftAsync(string python, string workingDirectory, string ringPath)
    {
        var request = JsonSerializer.Serialize(new { prefix = Prefix, suffix = Suffix, ring = ringPath, names = Names });
        var run = await ExternalTool.RunAsync(python, ["-c", SwiftView], workingDirectory, request);
        run.ExitCode.Should().Be(0, run.ToString());
        return JsonNode.Parse(run.Stdout)!;
    }

    private static async Task SwiftRingBuilderAsync(string program, string workingDirectory, params string[] arguments)
    {
        var run = await ExternalTool.RunAsync(program, arguments, workingDirectory);
        // swift-ring-builder exits 1 for warnings (e.g. a first rebalance it considers unbalanced), 2 for errors.
        run.ExitCode.Should().BeOneOf([0, 1], run.ToString());
    }

    private static string RequireSwift()
    {
        // The python3 on PATH may be a pyenv or venv one without Debian's packages, so use the system interpreter.
        var python = ExternalTool.Require("/usr/bin/python3", "python3");
        ExternalTool.Require(SwiftMarker, "python3-swift");
        return python;
    }

    private static string?[][] MakeNames()
    {
        var names = new List<string?[]>();
        for (var i = 0; i < 50; i++)
        {
            var account = i % 5 == 0 ? $"AUTH_ünï{i}" : $"AUTH_test{i % 7}";
            names.Add((i % 3) switch
            {
                0 => [account, null, null],
                1 => [account, $"photos {i}", null],
                _ => [account, $"photos {i % 4}", $"dir/cat {i}.jpg"],
            });
        }
        return [.. names];
    }
}
