using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Swift's tempauth: users from configuration, tokens <c>AUTH_tk&lt;hex&gt;</c> handed out by <c>/auth/v1.0</c>.
/// Tokens live in this process's memory only (swift keeps them in memcache), so with several proxies a client must
/// stay on the one that authenticated it, and a restart logs every client out.
/// </summary>
public sealed class TempAuth
{
    /// <summary>Prefix of every tempauth account on the storage servers.</summary>
    public const string ResellerPrefix = "AUTH_";

    /// <summary>Group owning its own account.</summary>
    public const string AdminGroup = ".admin";

    /// <summary>Group reaching every account.</summary>
    public const string ResellerAdminGroup = ".reseller_admin";

    private readonly Dictionary<string, TempAuthUser> _users;
    private readonly ConcurrentDictionary<string, (TempAuthUser User, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly TimeSpan _life;

    /// <summary>Reads the users of <see cref="SwiftProxyFlags.SwiftTempauthUsers"/>.</summary>
    /// <exception cref="ArgumentException">An entry lacks account, user or key.</exception>
    public TempAuth(SwiftProxyFlags flags, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(flags);
        _clock = clock;
        _life = TimeSpan.FromSeconds(Math.Max(1, flags.SwiftTokenLife));
        _users = new Dictionary<string, TempAuthUser>(StringComparer.Ordinal);
        foreach (var entry in flags.SwiftTempauthUsers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(':');
            if (parts.Length < 3 || parts[..3].Any(p => p.Length == 0))
            {
                throw new ArgumentException($"swift_tempauth_users entry '{entry}' is not account:user:key[:groups...]");
            }
            var user = new TempAuthUser(parts[0], parts[1], parts[2], parts[3..]);
            _users[$"{user.Account}:{user.User}"] = user;
        }
    }

    /// <summary>Seconds a new token lives.</summary>
    public long LifeSeconds => (long)_life.TotalSeconds;

    /// <summary>A new token for <c>account:user</c> and <paramref name="key"/>, or null when they do not match a user.</summary>
    public (string Token, TempAuthUser User)? Authenticate(string accountUser, string key)
    {
        if (!_users.TryGetValue(accountUser, out var user)
            || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(user.Key), System.Text.Encoding.UTF8.GetBytes(key)))
        {
            return null;
        }
        var token = "AUTH_tk" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        _tokens[token] = (user, _clock.GetUtcNow() + _life);
        Sweep();
        return (token, user);
    }

    /// <summary>The user a live token belongs to, or null.</summary>
    public TempAuthUser? Validate(string token)
    {
        if (token.Length == 0 || !_tokens.TryGetValue(token, out var entry))
        {
            return null;
        }
        if (entry.Expires > _clock.GetUtcNow())
        {
            return entry.User;
        }
        _tokens.TryRemove(token, out _);
        return null;
    }

    /// <summary>The tempauth section of <c>/info</c>.</summary>
    public static object Capabilities => new { account_acls = true };

    private void Sweep()
    {
        // Cheap bound on memory: expired tokens go whenever a new one is issued.
        var now = _clock.GetUtcNow();
        foreach (var (token, entry) in _tokens)
        {
            if (entry.Expires <= now)
            {
                _tokens.TryRemove(token, out _);
            }
        }
    }
}
