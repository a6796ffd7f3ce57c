using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Identity;

/// <summary>
/// Counts failed password logins per user name (known or not, so the throttle reveals nothing) and per client
/// address over <c>login_failure_window</c> seconds. Once a name reaches <c>login_failure_limit</c> or an address
/// <c>login_failure_limit_per_address</c>, its logins are refused with the usual 401 before any PBKDF2 runs, until
/// the window that began with its first failure is over. Counts are per api process and bounded in memory.
/// </summary>
public sealed class LoginThrottle(IOptions<IdentityFlags> flags, TimeProvider clock)
{
    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<string, Window> _failures = new(StringComparer.Ordinal);

    /// <summary>True when the name or the address has used up its failures for now.</summary>
    public bool IsThrottled(string login, string? clientAddress)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return Over(UserKey(login), flags.Value.LoginFailureLimit, now)
            || (clientAddress is not null && Over(AddressKey(clientAddress), flags.Value.LoginFailureLimitPerAddress, now));
    }

    public void RecordFailure(string login, string? clientAddress)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_failures.Count >= MaxTracked)
        {
            Prune(now);
        }
        Count(UserKey(login), now);
        if (clientAddress is not null)
        {
            Count(AddressKey(clientAddress), now);
        }
    }

    /// <summary>A right password clears the name's failures (not the address's: it may be shared by an attacker).</summary>
    public void RecordSuccess(string login) => _failures.TryRemove(UserKey(login), out _);

    private bool Over(string key, int limit, DateTime now) =>
        limit > 0 && _failures.TryGetValue(key, out var w) && w.Until > now && w.Failures >= limit;

    private void Count(string key, DateTime now)
    {
        var until = now.AddSeconds(flags.Value.LoginFailureWindow);
        _failures.AddOrUpdate(key, _ => new Window(1, until), (_, w) => w.Until > now ? w with { Failures = w.Failures + 1 } : new Window(1, until));
    }

    private void Prune(DateTime now)
    {
        foreach (var key in _failures.Where(f => f.Value.Until <= now).Select(f => f.Key).ToList())
        {
            _failures.TryRemove(key, out _);
        }
        // Still full of live windows: a spray of names; keep the addresses, which stop such a spray.
        if (_failures.Count >= MaxTracked)
        {
            foreach (var key in _failures.Keys.Where(k => k.StartsWith("u:", StringComparison.Ordinal)).ToList())
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    private static string UserKey(string login) => "u:" + login.ToLowerInvariant();

    private static string AddressKey(string address) => "a:" + address;

    private sealed record Window(int Failures, DateTime Until);
}
