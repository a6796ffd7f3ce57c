using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Kernel.Cache;
using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Swift's tempauth: users from configuration, tokens <c>AUTH_tk&lt;hex&gt;</c> handed out by <c>/auth/v1.0</c>.
/// Tokens live in the shared cache, so with <c>memcache_servers</c> every proxy accepts every proxy's tokens and a
/// restart logs nobody out; without it they live in this process only.
/// </summary>
public sealed class TempAuth
{
    /// <summary>Prefix of every tempauth account on the storage servers.</summary>
    public const string ResellerPrefix = "AUTH_";

    /// <summary>Group owning its own account.</summary>
    public const string AdminGroup = ".admin";

    /// <summary>Group reaching every account.</summary>
    public const string ResellerAdminGroup = ".reseller_admin";

    private const string KeyPrefix = "tempauth/token/";
    private readonly Dictionary<string, TempAuthUser> _users;
    private readonly ISharedCache _tokens;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _life;
    private readonly TempAuthRecentTokens _recent;

    /// <summary>The users of <paramref name="users"/> (<see cref="SwiftProxyFlags.SwiftTempauthUsers"/>'s format).</summary>
    /// <exception cref="FlagException">An entry lacks account, user or key, or its key is still <see cref="Secrets.Placeholder"/>.</exception>
    public TempAuth(string users, int tokenLifeSeconds, ISharedCache tokens, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(users);
        _tokens = tokens;
        _clock = clock;
        _life = TimeSpan.FromSeconds(Math.Max(1, tokenLifeSeconds));
        _recent = new TempAuthRecentTokens(clock);
        _users = new Dictionary<string, TempAuthUser>(StringComparer.Ordinal);
        foreach (var (index, entry) in users.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Index())
        {
            var parts = entry.Split(':');
            if (parts.Length < 3 || parts[..3].Any(p => p.Length == 0))
            {
                // The entry holds a key (or is one, missing its colons): name it by position, never quote it.
                throw FlagError.Of($"--swift_tempauth_users: entry {index + 1} is not account:user:key[:groups...]");
            }
            if (parts[2] == Secrets.Placeholder)
            {
                throw FlagError.Of($"--swift_tempauth_users: user {parts[0]}:{parts[1]} still has the sample key {Secrets.Placeholder}; set a real key (e.g. openssl rand -hex 24)");
            }
            var user = new TempAuthUser(parts[0], parts[1], parts[2], parts[3..]);
            _users[$"{user.Account}:{user.User}"] = user;
        }
    }

    /// <summary>Whether any user is configured.</summary>
    public bool HasUsers => _users.Count > 0;

    /// <summary>Seconds a new token lives.</summary>
    public long LifeSeconds => (long)_life.TotalSeconds;

    /// <summary>A new token for <c>account:user</c> and <paramref name="key"/>, or null when they do not match a user.</summary>
    public async Task<(string Token, TempAuthUser User)?> AuthenticateAsync(string accountUser, string key, CancellationToken ct)
    {
        if (!_users.TryGetValue(accountUser, out var user)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(user.Key), Encoding.UTF8.GetBytes(key)))
        {
            return null;
        }
        var token = "AUTH_tk" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var expires = _clock.GetUtcNow() + _life;
        var entry = string.Create(CultureInfo.InvariantCulture, $"{expires.ToUnixTimeMilliseconds()} {accountUser}");
        await _tokens.SetAsync(KeyPrefix + token, Encoding.UTF8.GetBytes(entry), _life, ct).ConfigureAwait(false);
        return (token, user);
    }

    /// <summary>The user a live token belongs to, or null.</summary>
    public async Task<TempAuthUser?> ValidateAsync(string token, CancellationToken ct)
    {
        if (!token.StartsWith("AUTH_tk", StringComparison.Ordinal))
        {
            return null;
        }
        if (_recent.Find(token) is { } recent && UserOf(recent) is { } known)
        {
            return known;
        }
        if (await _tokens.GetAsync(KeyPrefix + token, ct).ConfigureAwait(false) is not { } stored)
        {
            return null;
        }
        var entry = Encoding.UTF8.GetString(stored);
        if (UserOf(entry) is { } user)
        {
            _recent.Keep(token, entry);
            return user;
        }
        _recent.Forget(token);
        await _tokens.DeleteAsync(KeyPrefix + token, ct).ConfigureAwait(false);
        return null;
    }

    // "<expiry ms> <account:user>": the user is looked up again, so removing it from the flags ends its tokens.
    private TempAuthUser? UserOf(string entry)
    {
        var space = entry.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && long.TryParse(entry.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            && DateTimeOffset.FromUnixTimeMilliseconds(ms) > _clock.GetUtcNow()
            && _users.TryGetValue(entry[(space + 1)..], out var user)
            ? user
            : null;
    }

    /// <summary>The tempauth section of <c>/info</c>.</summary>
    public static object Capabilities => new { account_acls = true };
}
