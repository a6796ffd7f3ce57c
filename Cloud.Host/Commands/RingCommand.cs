using System.CommandLine;
using System.Globalization;
using Cloud.Modules.Swift.Common.Ring;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>cloudd ring BUILDER [create|add|remove|set_weight|rebalance|write_ring]</c>: swift-ring-builder. Without a
/// subcommand it describes the builder. <c>rebalance</c> also writes the ring (<c>object.builder</c> →
/// <c>object.ring.gz</c> beside it) that the storage servers and the proxy read.
/// </summary>
public static class RingCommand
{
    private static readonly Argument<string> Builder = new("builder") { Description = "Builder file, e.g. object.builder" };

    public static Command Create()
    {
        var ring = new Command("ring", "Build Swift rings (the swift-ring-builder equivalent).") { Builder };
        ring.SetAction((parse, _) => Guard(() =>
        {
            var path = parse.GetRequiredValue(Builder);
            Console.Write(RingBuilder.Load(path).Describe(Path.GetFileName(path)));
        }));

        var partPower = new Argument<int>("part_power") { Description = "log2 of the number of partitions (e.g. 18)" };
        var replicas = new Argument<int>("replicas") { Description = "Copies of each object (e.g. 3)" };
        var minPartHours = new Argument<int>("min_part_hours") { Description = "Hours before a partition may move again" };
        var create = new Command("create", "Create a new builder.") { partPower, replicas, minPartHours };
        create.SetAction((parse, _) => Guard(() =>
        {
            var path = parse.GetRequiredValue(Builder);
            if (File.Exists(path))
            {
                throw new RingBuilderException($"{path} already exists; remove it first to start over.");
            }
            RingBuilder.Create(parse.GetValue(partPower), parse.GetValue(replicas), parse.GetValue(minPartHours)).Save(path);
        }));

        var spec = new Argument<string>("device") { Description = "[r<region>]z<zone>-<ip>:<port>/<device>[_<meta>], e.g. z1-192.168.2.130:6000/sda5" };
        var weight = new Argument<double>("weight") { Description = "Relative weight, e.g. 100" };
        var add = new Command("add", "Add a device.") { spec, weight };
        add.SetAction((parse, _) => Change(parse, b =>
        {
            var device = b.AddDevice(parse.GetRequiredValue(spec), parse.GetValue(weight));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Device d{device.Id}r{device.Region}z{device.Zone}-{device.Ip}:{device.Port}/{device.Device}_\"{device.Meta}\" with {device.Weight} weight got id {device.Id}"));
        }));

        var id = new Argument<int>("id") { Description = "Device id, as 'cloudd ring BUILDER' lists it" };
        var remove = new Command("remove", "Remove a device (its partitions move at the next rebalance).") { id };
        remove.SetAction((parse, _) => Change(parse, b => b.RemoveDevice(parse.GetValue(id))));

        var newWeight = new Argument<double>("weight") { Description = "New weight (0 drains the device)" };
        var setWeight = new Command("set_weight", "Change a device's weight.") { id, newWeight };
        setWeight.SetAction((parse, _) => Change(parse, b => b.SetWeight(parse.GetValue(id), parse.GetValue(newWeight))));

        var seed = new Option<int?>("--seed") { Description = "Random seed, for a reproducible assignment" };
        var rebalance = new Command("rebalance", "Assign partitions to devices and write the ring file.") { seed };
        rebalance.SetAction((parse, _) => Change(parse, b =>
        {
            Console.WriteLine(b.Rebalance(parse.GetValue(seed)));
            b.WriteRing(RingPath(parse.GetRequiredValue(Builder)));
        }));

        var writeRing = new Command("write_ring", "Write the ring file from the builder's current assignment.");
        writeRing.SetAction((parse, _) => Guard(() => RingBuilder.Load(parse.GetRequiredValue(Builder)).WriteRing(RingPath(parse.GetRequiredValue(Builder)))));

        foreach (var sub in new[] { create, add, remove, setWeight, rebalance, writeRing })
        {
            ring.Subcommands.Add(sub);
        }
        return ring;
    }

    /// <summary><c>object.builder</c> → <c>object.ring.gz</c> in the same directory.</summary>
    private static string RingPath(string builder) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(builder))!, Path.GetFileNameWithoutExtension(builder) + ".ring.gz");

    private static Task<int> Change(ParseResult parse, Action<RingBuilder> change) => Guard(() =>
    {
        var path = parse.GetRequiredValue(Builder);
        var builder = RingBuilder.Load(path);
        change(builder);
        builder.Save(path);
    });

    private static Task<int> Guard(Action action) => CloudCommand.GuardAsync(() =>
    {
        try
        {
            action();
            return Task.FromResult(0);
        }
        catch (Exception e) when (e is RingBuilderException or IOException or UnauthorizedAccessException)
        {
            throw new OperatorException(e.Message);
        }
    });
}
