namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// The signatures accepted and still usable. Each is kept until the end of its own validity (after that the time
/// check refuses the request anyway) and dropped in one-minute buckets, so memory follows the rate of accepted
/// requests times their validity, never the process's age.
/// </summary>
internal sealed class Ec2ReplayCache
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, List<string>> _byExpiryMinute = [];

    /// <summary>How many signatures are remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>Records <paramref name="key"/>; false when it is already recorded, i.e. the request is a replay.</summary>
    public bool TryAdd(string key, DateTimeOffset usableUntil, DateTimeOffset now)
    {
        var bucket = usableUntil.ToUnixTimeSeconds() / 60;
        lock (_gate)
        {
            Evict(now);
            if (!_seen.Add(key))
            {
                return false;
            }
            if (!_byExpiryMinute.TryGetValue(bucket, out var keys))
            {
                _byExpiryMinute[bucket] = keys = [];
            }
            keys.Add(key);
            return true;
        }
    }

    private void Evict(DateTimeOffset now)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        while (_byExpiryMinute.Count > 0)
        {
            var (minute, keys) = _byExpiryMinute.First();
            // A bucket goes only once its whole minute is over, so no key leaves before its own end.
            if ((minute + 1) * 60 > nowSeconds)
            {
                return;
            }
            foreach (var key in keys)
            {
                _seen.Remove(key);
            }
            _byExpiryMinute.Remove(minute);
        }
    }
}
