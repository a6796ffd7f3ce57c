using System.Collections.Concurrent;

namespace Cloud.Modules.Kernel.Cache;

/// <summary>One memcached server: a pool of idle connections and, after a failure, a time before it is tried again.</summary>
internal sealed class MemcacheServer(string host, int port)
{
    private const int MaxIdle = 16;
    private readonly ConcurrentBag<MemcacheConnection> _idle = [];
    private long _downUntilTicks;

    public string Name => $"{host}:{port}";

    public bool IsDown(DateTimeOffset now) => now.UtcTicks < Interlocked.Read(ref _downUntilTicks);

    public void MarkDown(DateTimeOffset until) => Interlocked.Exchange(ref _downUntilTicks, until.UtcTicks);

    public async Task<MemcacheConnection> RentAsync(CancellationToken ct) =>
        _idle.TryTake(out var connection) ? connection : await MemcacheConnection.OpenAsync(host, port, ct).ConfigureAwait(false);

    public async ValueTask ReturnAsync(MemcacheConnection connection)
    {
        if (_idle.Count < MaxIdle)
        {
            _idle.Add(connection);
            return;
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Parses <c>host:port</c> (port 11211 when absent; IPv6 in brackets).</summary>
    public static MemcacheServer Parse(string entry)
    {
        var colon = entry.LastIndexOf(':');
        var bracketed = entry.StartsWith('[');
        if (colon < 0 || (bracketed && colon < entry.IndexOf(']', StringComparison.Ordinal)))
        {
            return new MemcacheServer(entry.Trim('[', ']'), 11211);
        }
        return int.TryParse(entry[(colon + 1)..], out var port) && port is > 0 and < 65536
            ? new MemcacheServer(entry[..colon].Trim('[', ']'), port)
            : throw Flags.FlagError.Of($"--memcache_servers: entry '{entry}' is not host:port");
    }
}
