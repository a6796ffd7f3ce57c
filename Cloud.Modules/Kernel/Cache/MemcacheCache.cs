using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Kernel.Cache;

/// <summary>
/// <see cref="ISharedCache"/> on real memcached servers (swift's MemcacheRing): a key goes to one server by consistent
/// hashing, so adding a server moves only its share of keys; a server that fails is skipped for a minute and its keys
/// read as misses meanwhile, never as errors.
/// </summary>
public sealed partial class MemcacheCache : ISharedCache
{
    private const int PointsPerServer = 100;
    private static readonly TimeSpan DownTime = TimeSpan.FromMinutes(1);
    private readonly MemcacheServer[] _servers;
    private readonly (uint Point, int Server)[] _ring;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;
    private readonly ILogger<MemcacheCache> _log;

    /// <summary>A cache over <see cref="CacheFlags.MemcacheServers"/>.</summary>
    /// <exception cref="Flags.FlagException">An entry is not host:port.</exception>
    public MemcacheCache(CacheFlags flags, TimeProvider clock, ILogger<MemcacheCache> log)
    {
        ArgumentNullException.ThrowIfNull(flags);
        _servers = [.. flags.MemcacheServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(MemcacheServer.Parse)];
        if (_servers.Length == 0)
        {
            throw Flags.FlagError.Of("--memcache_servers names no server");
        }
        _ring = [.. _servers.SelectMany((s, i) => Enumerable.Range(0, PointsPerServer).Select(p => (Hash($"{s.Name}-{p}"), i))).OrderBy(p => p.Item1)];
        _timeout = TimeSpan.FromSeconds(flags.MemcacheTimeout > 0 ? flags.MemcacheTimeout : 1);
        _clock = clock;
        _log = log;
    }

    /// <inheritdoc/>
    public Task<byte[]?> GetAsync(string key, CancellationToken ct) =>
        RunAsync(key, (c, k, t) => c.GetAsync(k, t), ct);

    /// <inheritdoc/>
    public Task SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan ttl, CancellationToken ct)
    {
        var seconds = (int)Math.Clamp(Math.Ceiling(ttl.TotalSeconds), 1, 30 * 24 * 3600);
        return RunAsync<object>(key, async (c, k, t) => { await c.SetAsync(k, value, seconds, t).ConfigureAwait(false); return null; }, ct);
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string key, CancellationToken ct) =>
        RunAsync<object>(key, async (c, k, t) => { await c.DeleteAsync(k, t).ConfigureAwait(false); return null; }, ct);

    private async Task<T?> RunAsync<T>(string key, Func<MemcacheConnection, string, CancellationToken, Task<T?>> operation, CancellationToken ct)
        where T : class
    {
        // Hashed so any caller's key is a valid memcached key (no spaces, at most 250 bytes).
        var wireKey = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();
        if (ServerFor(wireKey) is not { } server)
        {
            return null;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        MemcacheConnection? connection = null;
        try
        {
            connection = await server.RentAsync(timeout.Token).ConfigureAwait(false);
            var result = await operation(connection, wireKey, timeout.Token).ConfigureAwait(false);
            await server.ReturnAsync(connection).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            server.MarkDown(_clock.GetUtcNow() + DownTime);
            LogServerDown(server.Name, e.Message, (int)DownTime.TotalSeconds);
            return null;
        }
    }

    private MemcacheServer? ServerFor(string wireKey)
    {
        var point = Hash(wireKey);
        var at = Array.BinarySearch(_ring, (point, int.MaxValue), Comparer<(uint Point, int Server)>.Create((a, b) => a.Point.CompareTo(b.Point)));
        var start = at >= 0 ? at : ~at;
        var now = _clock.GetUtcNow();
        for (var i = 0; i < _ring.Length; i++)
        {
            var server = _servers[_ring[(start + i) % _ring.Length].Server];
            if (!server.IsDown(now))
            {
                return server;
            }
        }
        return null;
    }

    private static uint Hash(string text) => BitConverter.ToUInt32(MD5.HashData(Encoding.UTF8.GetBytes(text)), 0);

    [LoggerMessage(Level = LogLevel.Error, Message = "memcached server {Server} failed ({Reason}); skipping it for {Seconds} seconds")]
    private partial void LogServerDown(string server, string reason, int seconds);
}
