using System.Globalization;
using System.Text;

namespace Cloud.Modules.Swift.Common.Ring;

/// <summary>
/// The operator-side ring: devices plus the partition→device table for each replica, rebuilt by
/// <see cref="Rebalance"/> and compiled to a <see cref="Ring"/> file by <see cref="WriteRing"/>.
/// Mirrors <c>swift-ring-builder &lt;file&gt; create|add|remove|set_weight|rebalance</c>.
/// </summary>
public sealed class RingBuilder
{
    private const int Unassigned = -1;

    private readonly TimeProvider _time;
    private readonly SortedDictionary<int, RingDevice> _devices = [];
    private int[][]? _assign;
    private long[]? _lastMoved;

    private RingBuilder(int partPower, int replicas, int minPartHours, TimeProvider? time)
    {
        PartPower = partPower;
        Replicas = replicas;
        MinPartHours = minPartHours;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Partitions are 2^PartPower.</summary>
    public int PartPower { get; }

    /// <summary>Copies of each partition.</summary>
    public int Replicas { get; }

    /// <summary>Hours a moved partition must stay put before it can move again.</summary>
    public int MinPartHours { get; private set; }

    /// <summary>Bumped by every change, as in swift's "build version".</summary>
    public int Version { get; private set; }

    /// <summary>2^PartPower.</summary>
    public long PartitionCount => 1L << PartPower;

    /// <summary>Devices by id, including weight-0 devices still draining.</summary>
    public IReadOnlyCollection<RingDevice> Devices => _devices.Values;

    /// <summary>Whether devices changed since the last rebalance (the ring file would be stale).</summary>
    public bool HasPendingChanges { get; private set; }

    /// <summary>
    /// <c>swift-ring-builder &lt;file&gt; create &lt;part_power&gt; &lt;replicas&gt; &lt;min_part_hours&gt;</c>.
    /// </summary>
    /// <param name="partPower">1..32, as swift accepts; the seed uses 18 (262144 partitions). <see cref="Rebalance"/> refuses above 24, whose tables would not fit in memory.</param>
    /// <param name="replicas">At least 1; the seed uses 2, swift's usual is 3.</param>
    /// <param name="minPartHours">At least 0; the seed uses 1.</param>
    /// <param name="time">Clock for min_part_hours. Default: <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="RingBuilderException">An argument is out of range.</exception>
    public static RingBuilder Create(int partPower, int replicas, int minPartHours, TimeProvider? time = null)
    {
        if (partPower is < 1 or > 32)
            throw new RingBuilderException($"Invalid part_power {partPower}: must be between 1 and 32.");
        if (replicas < 1)
            throw new RingBuilderException($"Invalid replicas {replicas}: must be at least 1.");
        if (minPartHours < 0)
            throw new RingBuilderException($"Invalid min_part_hours {minPartHours}: must be at least 0.");
        return new RingBuilder(partPower, replicas, minPartHours, time);
    }

    /// <summary><c>add z1-192.168.0.1:6000/sda5 100</c>; returns the device with its new id.</summary>
    public RingDevice AddDevice(string spec, double weight) => AddDevice(RingDevice.Parse(spec, weight));

    /// <summary>Adds a device; an <see cref="RingDevice.Id"/> below 0 gets the next free id.</summary>
    /// <exception cref="RingBuilderException">The id or ip:port/device is already in the ring, or the weight is invalid.</exception>
    public RingDevice AddDevice(RingDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!double.IsFinite(device.Weight) || device.Weight < 0)
            throw new RingBuilderException($"Invalid weight {device.Weight} for {device.ToAddString()}: must be >= 0.");
        if (device.Id >= ushort.MaxValue)
            throw new RingBuilderException($"Invalid device id {device.Id}: must be below {ushort.MaxValue}.");
        if (_devices.ContainsKey(device.Id))
            throw new RingBuilderException($"Duplicate device id {device.Id}.");
        var clash = _devices.Values.FirstOrDefault(d => d.Ip == device.Ip && d.Port == device.Port && d.Device == device.Device);
        if (clash is not null)
            throw new RingBuilderException($"Device {RingDevice.FormatIp(device.Ip)}:{device.Port}/{device.Device} is already in the ring as id {clash.Id}.");

        var added = device.Id >= 0 ? device : device with { Id = NextId() };
        _devices.Add(added.Id, added);
        Changed();
        return added;
    }

    /// <summary>Removes a device; its partitions move on the next rebalance, ignoring min_part_hours.</summary>
    public void RemoveDevice(int id)
    {
        if (!_devices.Remove(id))
            throw new RingBuilderException($"No device with id {id}.");
        Changed();
    }

    /// <summary>Changes a device's weight; 0 drains it gradually, honouring min_part_hours.</summary>
    public void SetWeight(int id, double weight)
    {
        if (!_devices.TryGetValue(id, out var dev))
            throw new RingBuilderException($"No device with id {id}.");
        if (!double.IsFinite(weight) || weight < 0)
            throw new RingBuilderException($"Invalid weight {weight} for device {id}: must be >= 0.");
        _devices[id] = dev with { Weight = weight };
        Changed();
    }

    /// <summary><c>set_min_part_hours</c>.</summary>
    public void SetMinPartHours(int hours)
    {
        if (hours < 0)
            throw new RingBuilderException($"Invalid min_part_hours {hours}: must be at least 0.");
        MinPartHours = hours;
        Changed();
    }

    /// <summary>
    /// Reassigns partitions: orphans (new ring, removed devices) always; replicas crowded into
    /// one zone and replicas above a device's weighted share only if their partition has not moved
    /// within <see cref="MinPartHours"/>. At most one replica of a partition moves per call.
    /// </summary>
    /// <param name="seed">Seed for the random choice of which replicas leave an overfull device; fixed for stable tests.</param>
    /// <exception cref="RingBuilderException">No device has a positive weight.</exception>
    public RebalanceResult Rebalance(int? seed = null)
    {
        if (!_devices.Values.Any(d => d.Weight > 0))
            throw new RingBuilderException("Cannot rebalance: the ring has no devices with a weight above 0.");
        EnsureTable();

        var balancer = new RingBalancer(_assign!, _lastMoved!, _devices.Values, _time.GetUtcNow().ToUnixTimeSeconds(),
            MinPartHours, seed is null ? new Random() : new Random(seed.Value));
        var moved = balancer.Run();
        HasPendingChanges = false;
        if (moved > 0)
            Version++;
        return new RebalanceResult(moved, PartitionCount, GetBalance());
    }

    /// <summary>Replicas assigned to each device id.</summary>
    public IReadOnlyDictionary<int, int> PartitionCounts()
    {
        var counts = _devices.Keys.ToDictionary(id => id, _ => 0);
        if (_assign is null)
            return counts;
        foreach (var row in _assign)
        {
            foreach (var dev in row)
            {
                if (counts.TryGetValue(dev, out var c))
                    counts[dev] = c + 1;
            }
        }
        return counts;
    }

    /// <summary>Per device, % above (+) or below (-) its weighted share; 999.99 for parts on a weight-0 device, as swift prints.</summary>
    public IReadOnlyDictionary<int, double> DeviceBalances()
    {
        var counts = PartitionCounts();
        var totalWeight = _devices.Values.Sum(d => d.Weight);
        var slots = (double)PartitionCount * Replicas;
        var result = new Dictionary<int, double>();
        foreach (var dev in _devices.Values)
        {
            var desired = totalWeight > 0 ? slots * dev.Weight / totalWeight : 0;
            result[dev.Id] = desired > 0 ? 100.0 * counts[dev.Id] / desired - 100.0 : counts[dev.Id] > 0 ? 999.99 : 0;
        }
        return result;
    }

    /// <summary>The ring's balance: the largest |per-device balance|, in percent.</summary>
    public double GetBalance() => DeviceBalances().Values.Select(Math.Abs).DefaultIfEmpty(0).Max();

    /// <summary>Device ids holding each replica of <paramref name="partition"/>; -1 where unassigned.</summary>
    public IReadOnlyList<int> GetPartitionDevices(int partition) =>
        _assign is null ? Enumerable.Repeat(Unassigned, Replicas).ToArray() : _assign.Select(row => row[partition]).ToArray();

    /// <summary>Writes the builder as JSON (see <see cref="RingBuilderFile"/>).</summary>
    public void Save(string path) => RingBuilderFile.Save(path, new RingBuilderFile.State(
        PartPower, Replicas, MinPartHours, Version, HasPendingChanges, [.. _devices.Values], _assign, _lastMoved));

    /// <summary>Reads a builder written by <see cref="Save"/>.</summary>
    /// <exception cref="RingBuilderException">The file is missing, not a cloudd builder, or inconsistent.</exception>
    public static RingBuilder Load(string path, TimeProvider? time = null)
    {
        var s = RingBuilderFile.Load(path);
        var builder = Create(s.PartPower, s.Replicas, s.MinPartHours, time);
        foreach (var dev in s.Devices)
            builder._devices.Add(dev.Id, dev);
        builder._assign = s.Assignments;
        builder._lastMoved = s.LastMoved;
        builder.Version = s.Version;
        builder.HasPendingChanges = s.PendingChanges;
        return builder;
    }

    /// <summary>Compiles the ring (<c>object.ring.gz</c> by convention) that <see cref="Ring"/> loads.</summary>
    /// <exception cref="RingBuilderException">The builder was never rebalanced, or devices changed since.</exception>
    public void WriteRing(string path)
    {
        if (_assign is null || HasPendingChanges || _assign.Any(row => row.Any(d => !_devices.ContainsKey(d))))
            throw new RingBuilderException("The ring is not balanced against the current devices: run rebalance before writing the ring.");
        RingFile.Write(path, new RingFile.Contents(PartPower, Replicas, [.. _devices.Values], _assign));
    }

    /// <summary>What <c>swift-ring-builder object.builder</c> prints.</summary>
    public string Describe(string builderName = "object.builder")
    {
        var inv = CultureInfo.InvariantCulture;
        var counts = PartitionCounts();
        var balances = DeviceBalances();
        var regions = _devices.Values.Select(d => d.Region).Distinct().Count();
        var zones = _devices.Values.Select(d => (d.Region, d.Zone)).Distinct().Count();
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"{builderName}, build version {Version}");
        sb.AppendLine(inv, $"{PartitionCount} partitions, {Replicas} replicas, {regions} regions, {zones} zones, {_devices.Count} devices, {GetBalance():0.00} balance");
        sb.AppendLine(inv, $"The minimum number of hours before a partition can be reassigned is {MinPartHours}");
        sb.AppendLine(inv, $"Devices:    id  region  zone      ip address  port      name weight partitions balance meta");
        foreach (var d in _devices.Values)
        {
            sb.AppendLine(inv,
                $"         {d.Id,5} {d.Region,7} {d.Zone,5} {d.Ip,15} {d.Port,5} {d.Device,9} {d.Weight,6:0.00} {counts[d.Id],10} {balances[d.Id],7:0.00} {d.Meta}");
        }
        return sb.ToString();
    }

    private int NextId()
    {
        // Ids of removed devices are not reused while the table may still point at them.
        var max = _devices.Count == 0 ? -1 : _devices.Keys.Max();
        if (_assign is not null)
            max = Math.Max(max, _assign.Max(row => row.Length == 0 ? -1 : row.Max()));
        return max + 1;
    }

    private void Changed()
    {
        Version++;
        HasPendingChanges = true;
    }

    private void EnsureTable()
    {
        if (_assign is not null)
            return;
        if (PartPower > 24)
            throw new RingBuilderException($"part_power {PartPower} is too large for this builder: at most 24 (16777216 partitions) fit in memory.");
        var parts = (int)PartitionCount;
        _assign = new int[Replicas][];
        for (var r = 0; r < Replicas; r++)
            _assign[r] = Enumerable.Repeat(Unassigned, parts).ToArray();
        _lastMoved = Enumerable.Repeat(long.MinValue / 2, parts).ToArray();
    }
}
