namespace Cloud.Modules.Swift.Common.Ring;

/// <summary>
/// One rebalance pass over a builder's assignment table. Three gather steps pick the replicas
/// that must or should move (unassigned or on removed devices; crowded into one zone; on
/// devices above their weighted share), then each gathered replica is placed on the device that
/// keeps its partition's replicas most spread out, breaking ties by who wants parts most.
/// </summary>
internal sealed class RingBalancer
{
    private const int Unassigned = -1;

    private readonly int[][] _assign;
    private readonly long[] _lastMoved;
    private readonly RingDevice[] _devs;
    private readonly Dictionary<int, int> _indexOf;
    private readonly double[] _desired;
    private readonly int[] _counts;
    private readonly bool[] _touched;
    private readonly long _now;
    private readonly long _minPartSeconds;
    private readonly Random _rng;
    private readonly int _parts;
    private readonly int _replicas;

    public RingBalancer(int[][] assign, long[] lastMoved, IReadOnlyCollection<RingDevice> devices, long now, int minPartHours, Random rng)
    {
        _assign = assign;
        _lastMoved = lastMoved;
        _devs = [.. devices];
        _indexOf = _devs.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i);
        _replicas = assign.Length;
        _parts = assign[0].Length;
        _now = now;
        _minPartSeconds = minPartHours * 3600L;
        _rng = rng;
        _touched = new bool[_parts];
        _counts = new int[_devs.Length];

        var totalWeight = _devs.Sum(d => d.Weight);
        var slots = (double)_parts * _replicas;
        _desired = _devs.Select(d => totalWeight > 0 ? slots * d.Weight / totalWeight : 0).ToArray();
    }

    /// <summary>Replicas per device after the pass, indexed like the device collection.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>Ideal replica count per device, indexed like the device collection.</summary>
    public IReadOnlyList<double> Desired => _desired;

    /// <summary>Runs the pass; returns how many partitions had at least one replica move.</summary>
    public int Run()
    {
        var gathered = new List<(int Part, int Replica, int OldDev)>();
        GatherOrphans(gathered);
        GatherCrowded(gathered);
        GatherOverweight(gathered);

        var moved = new bool[_parts];
        foreach (var (part, replica, oldDev) in gathered)
        {
            var best = ChooseDevice(part);
            _assign[replica][part] = _devs[best].Id;
            _counts[best]++;
            if (_devs[best].Id != oldDev)
                moved[part] = true;
        }

        var movedCount = 0;
        for (var p = 0; p < _parts; p++)
        {
            if (!moved[p])
                continue;
            _lastMoved[p] = _now;
            movedCount++;
        }
        return movedCount;
    }

    private bool Movable(int part) => !_touched[part] && _now - _lastMoved[part] >= _minPartSeconds;

    private void Gather(List<(int, int, int)> gathered, int part, int replica)
    {
        var dev = _assign[replica][part];
        if (dev != Unassigned && _indexOf.TryGetValue(dev, out var i))
            _counts[i]--;
        _assign[replica][part] = Unassigned;
        // One replica per partition per pass, so the other copies stay put while this one moves.
        _touched[part] = true;
        gathered.Add((part, replica, dev));
    }

    // Unassigned replicas and those on removed devices move regardless of min_part_hours: there is nowhere else for them to be.
    private void GatherOrphans(List<(int, int, int)> gathered)
    {
        for (var r = 0; r < _replicas; r++)
        {
            var row = _assign[r];
            for (var p = 0; p < _parts; p++)
            {
                if (row[p] != Unassigned && _indexOf.TryGetValue(row[p], out var i))
                    _counts[i]++;
                else
                    Gather(gathered, p, r);
            }
        }
    }

    private void GatherCrowded(List<(int, int, int)> gathered)
    {
        var live = _devs.Where(d => d.Weight > 0).ToArray();
        var zonesAvailable = live.Select(d => (d.Region, d.Zone)).Distinct().Count();
        var devsAvailable = live.Length;
        var zones = new (int, int)[_replicas];
        for (var p = 0; p < _parts; p++)
        {
            if (!Movable(p) || HasUnassigned(p))
                continue;
            for (var r = 0; r < _replicas; r++)
            {
                var d = _devs[_indexOf[_assign[r][p]]];
                zones[r] = (d.Region, d.Zone);
            }
            var distinctZones = zones.Distinct().Count();
            var distinctDevs = Enumerable.Range(0, _replicas).Select(r => _assign[r][p]).Distinct().Count();
            if (distinctZones >= Math.Min(_replicas, zonesAvailable) && distinctDevs >= Math.Min(_replicas, devsAvailable))
                continue;

            // Move the crowded replica whose device is furthest over its share.
            var victim = -1;
            var worst = double.MinValue;
            for (var r = 0; r < _replicas; r++)
            {
                var crowded = Enumerable.Range(0, _replicas).Any(o => o != r && zones[o] == zones[r]);
                var i = _indexOf[_assign[r][p]];
                var over = _counts[i] - _desired[i];
                if (crowded && over > worst)
                    (victim, worst) = (r, over);
            }
            if (victim >= 0)
                Gather(gathered, p, victim);
        }
    }

    private bool HasUnassigned(int part)
    {
        for (var r = 0; r < _replicas; r++)
        {
            if (_assign[r][part] == Unassigned)
                return true;
        }
        return false;
    }

    private void GatherOverweight(List<(int, int, int)> gathered)
    {
        var excess = new int[_devs.Length];
        var any = false;
        for (var i = 0; i < _devs.Length; i++)
        {
            excess[i] = (int)Math.Floor(_counts[i] - _desired[i]);
            any |= excess[i] > 0;
        }
        if (!any)
            return;

        var candidates = new List<int>[_devs.Length];
        for (var i = 0; i < _devs.Length; i++)
            candidates[i] = excess[i] > 0 ? [] : null!;
        for (var r = 0; r < _replicas; r++)
        {
            for (var p = 0; p < _parts; p++)
            {
                var dev = _assign[r][p];
                if (dev != Unassigned && excess[_indexOf[dev]] > 0 && Movable(p))
                    candidates[_indexOf[dev]].Add(p * _replicas + r);
            }
        }

        for (var i = 0; i < _devs.Length; i++)
        {
            if (excess[i] <= 0)
                continue;
            var list = candidates[i];
            // Partial Fisher-Yates: a seeded random sample of the device's movable replicas.
            for (var k = 0; k < list.Count && excess[i] > 0; k++)
            {
                var j = _rng.Next(k, list.Count);
                (list[k], list[j]) = (list[j], list[k]);
                var part = list[k] / _replicas;
                if (!Movable(part))
                    continue;
                Gather(gathered, part, list[k] % _replicas);
                excess[i]--;
            }
        }
    }

    private int ChooseDevice(int part)
    {
        var best = -1;
        var bestKey = (int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue);
        var bestWanted = double.MinValue;
        for (var i = 0; i < _devs.Length; i++)
        {
            var d = _devs[i];
            if (d.Weight <= 0)
                continue;
            int sameRegion = 0, sameZone = 0, sameIp = 0, sameDev = 0;
            for (var r = 0; r < _replicas; r++)
            {
                var other = _assign[r][part];
                if (other == Unassigned || !_indexOf.TryGetValue(other, out var oi))
                    continue;
                var o = _devs[oi];
                if (o.Region != d.Region)
                    continue;
                sameRegion++;
                if (o.Zone != d.Zone)
                    continue;
                sameZone++;
                if (o.Ip != d.Ip)
                    continue;
                sameIp++;
                if (o.Id == d.Id)
                    sameDev++;
            }

            // Uniqueness first (region, zone, host, device), then the device furthest below its share.
            var key = (sameRegion, sameZone, sameIp, sameDev);
            var wanted = (_desired[i] - _counts[i]) / d.Weight;
            var cmp = key.CompareTo(bestKey);
            if (cmp < 0 || (cmp == 0 && wanted > bestWanted))
                (best, bestKey, bestWanted) = (i, key, wanted);
        }
        return best;
    }
}
