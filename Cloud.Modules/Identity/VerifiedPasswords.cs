using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Cloud.Modules.Identity;

/// <summary>
/// Remembers, for a short while, that a password matched a stored hash, so the clients' habit of
/// authenticating from scratch on every command (glance twice) does not cost a PBKDF2 run each time.
/// Only a keyed MAC of the password is kept (the key never leaves this process), and an entry is bound to
/// the stored hash, so a password change invalidates it at once.
/// </summary>
public sealed class VerifiedPasswords(TimeProvider clock)
{
    private const int MaxEntries = 10_000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    // Checked instead when there is no stored hash (an unknown user), so that answer takes as long as a wrong password.
    private static readonly Lazy<string> Dummy = new(() => PasswordHasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, (byte[] Mac, DateTime Until)> _entries = new(StringComparer.Ordinal);

    /// <summary>True when the password matches the stored hash; PBKDF2 runs only on a cache miss, and also for no hash.</summary>
    public bool Verify(string password, string? storedHash)
    {
        if (storedHash is null)
        {
            _ = PasswordHasher.Verify(password, Dummy.Value);
            return false;
        }
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(password));
        var now = clock.GetUtcNow().UtcDateTime;
        if (_entries.TryGetValue(storedHash, out var entry) && entry.Until > now && CryptographicOperations.FixedTimeEquals(entry.Mac, mac))
        {
            return true;
        }
        if (!PasswordHasher.Verify(password, storedHash))
        {
            return false;
        }
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[storedHash] = (mac, now + Lifetime);
        return true;
    }
}
