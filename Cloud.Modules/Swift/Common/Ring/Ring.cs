using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cloud.Modules.Swift.Common.Ring;

/// <summary>
/// A compiled ring, read-only: maps an account, container or object to its partition and the
/// devices holding that partition's replicas, as swift's proxy and replicators use it.
/// </summary>
public sealed class Ring
{
    private readonly int[][] _replica2Part2Dev;
    private readonly Dictionary<int, RingDevice> _devices;
    private readonly int _partShift;
    private readonly SwiftHash _hash;

    /// <summary>Loads a ring written by <see cref="RingBuilder.WriteRing"/> or by OpenStack Swift's <c>swift-ring-builder</c>.</summary>
    /// <param name="ringPath">e.g. <c>/etc/swift/object.ring.gz</c>.</param>
    /// <param name="hashPathPrefix"><c>swift_hash_path_prefix</c> from swift.conf. Default: empty.</param>
    /// <param name="hashPathSuffix"><c>swift_hash_path_suffix</c> from swift.conf; operator-set and secret, must match on every node.</param>
    /// <exception cref="RingBuilderException">The file is missing or not a swift format version 1 ring.</exception>
    public Ring(string ringPath, string hashPathPrefix, string hashPathSuffix)
    {
        var contents = RingFile.Read(ringPath);
        PartPower = contents.PartPower;
        ReplicaCount = contents.Replicas;
        _replica2Part2Dev = contents.Replica2Part2Dev;
        _devices = contents.Devices.ToDictionary(d => d.Id);
        _partShift = 32 - PartPower;
        _hash = new SwiftHash(hashPathPrefix ?? "", hashPathSuffix ?? "");
    }

    /// <summary>Partitions are 2^PartPower.</summary>
    public int PartPower { get; }

    /// <summary>Replicas per partition.</summary>
    public int ReplicaCount { get; }

    /// <summary>2^PartPower.</summary>
    public long PartitionCount => 1L << PartPower;

    /// <summary>All devices in the ring, by id.</summary>
    public IReadOnlyCollection<RingDevice> Devices => _devices.Values;

    /// <summary>
    /// Swift's placement hash: the top <see cref="PartPower"/> bits of
    /// MD5(prefix + "/account[/container[/object]]" + suffix), read big-endian, exactly as
    /// <c>swift.common.utils.hash_path</c> and <c>Ring.get_part</c> compute it. As in swift, an
    /// empty container or object name counts as absent.
    /// </summary>
    public int GetPartition(string account, string? container = null, string? obj = null)
    {
        var digest = _hash.Digest(account, container, obj);
        // A shift of 32 (part power 0) is not possible: the builder requires part power >= 1.
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(digest) >> _partShift);
    }

    /// <summary>The partition for the path and the devices holding its replicas, primary first, without duplicates.</summary>
    public (int Partition, IReadOnlyList<RingDevice> Devices) GetNodes(string account, string? container = null, string? obj = null)
    {
        var part = GetPartition(account, container, obj);
        return (part, GetPartitionNodes(part));
    }

    /// <summary>Devices holding the replicas of <paramref name="partition"/>.</summary>
    public IReadOnlyList<RingDevice> GetPartitionNodes(int partition)
    {
        CheckPartition(partition);
        var seen = new HashSet<int>();
        var nodes = new List<RingDevice>(ReplicaCount);
        foreach (var row in _replica2Part2Dev)
        {
            // A swift ring with a fractional replica count has a last row covering only some partitions.
            if (partition < row.Length && seen.Add(row[partition]))
                nodes.Add(_devices[row[partition]]);
        }
        return nodes;
    }

    /// <summary>
    /// Handoff devices for <paramref name="partition"/> when primaries fail: every other weighted
    /// device exactly once, never a primary, preferring zones not yet used by the primaries or
    /// earlier handoffs. The order is fixed per partition so every proxy picks the same handoffs.
    /// </summary>
    public IEnumerable<RingDevice> GetMoreNodes(int partition)
    {
        var primaries = GetPartitionNodes(partition);
        var zoneUse = new Dictionary<(int, int), int>();
        foreach (var p in primaries)
            zoneUse[(p.Region, p.Zone)] = zoneUse.GetValueOrDefault((p.Region, p.Zone)) + 1;

        var primaryIds = primaries.Select(p => p.Id).ToHashSet();
        var remaining = _devices.Values
            .Where(d => d.Weight > 0 && !primaryIds.Contains(d.Id))
            .OrderBy(d => Spread(partition, d.Id))
            .ThenBy(d => d.Id)
            .ToList();

        return Iterate();

        IEnumerable<RingDevice> Iterate()
        {
            while (remaining.Count > 0)
            {
                // Least-used zone first; within a zone, the per-partition pseudo-random order spreads handoff load.
                var pick = remaining.MinBy(d => zoneUse.GetValueOrDefault((d.Region, d.Zone)))!;
                remaining.Remove(pick);
                zoneUse[(pick.Region, pick.Zone)] = zoneUse.GetValueOrDefault((pick.Region, pick.Zone)) + 1;
                yield return pick;
            }
        }
    }

    private static uint Spread(int partition, int deviceId)
    {
        // A cheap stable mix (not string.GetHashCode, which is randomized per process).
        var x = ((ulong)(uint)partition << 32) | (uint)deviceId;
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        return (uint)x;
    }

    private void CheckPartition(int partition)
    {
        if (partition < 0 || partition >= PartitionCount)
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"Partition must be in 0..{PartitionCount - 1}.");
    }
}
