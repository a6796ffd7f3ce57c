using System.Collections.Concurrent;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Tempauth tokens this proxy found in the shared cache moments ago, with the entry it found. An entry never changes
/// once written (its expiry and its account:user), so reading it again from memcached on every request only re-learns
/// it: that round trip was ~10 % of the proxy's CPU per 4 KiB GET (perf), besides the wake-up of a thread for the
/// answer. Kept for <see cref="Life"/>, so a token memcached loses (restart, eviction) still passes here for at most
/// that long; the expiry in the entry is checked on every use, as before. Only found tokens are kept: one another
/// proxy has just issued is looked up in memcached until it is found.
/// </summary>
/// <param name="clock">What says when a kept entry is due for another look in the shared cache.</param>
public sealed class TempAuthRecentTokens(TimeProvider clock)
{
    /// <summary>How long a token found in the shared cache is taken as found without asking it again.</summary>
    public static readonly TimeSpan Life = TimeSpan.FromSeconds(5);

    // Bounded so a client presenting many tokens cannot grow it without end; cleared when full.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (string Entry, DateTimeOffset Until)> _found = new(StringComparer.Ordinal);

    /// <summary>The entry found for <paramref name="token"/> within <see cref="Life"/>, or null.</summary>
    public string? Find(string token)
    {
        if (!_found.TryGetValue(token, out var kept))
        {
            return null;
        }
        if (kept.Until > clock.GetUtcNow())
        {
            return kept.Entry;
        }
        _found.TryRemove(KeyValuePair.Create(token, kept));
        return null;
    }

    /// <summary>Keeps <paramref name="entry"/>, just read from the shared cache, as <paramref name="token"/>'s.</summary>
    public void Keep(string token, string entry)
    {
        if (_found.Count >= MaxEntries)
        {
            _found.Clear();
        }
        _found[token] = (entry, clock.GetUtcNow() + Life);
    }

    /// <summary>Forgets <paramref name="token"/>: its entry was found expired or naming no user.</summary>
    public void Forget(string token) => _found.TryRemove(token, out _);
}
