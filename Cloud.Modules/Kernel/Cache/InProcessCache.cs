using System.Collections.Concurrent;

namespace Cloud.Modules.Kernel.Cache;

/// <summary>The default <see cref="ISharedCache"/>: this process's memory, so only this process sees its entries.</summary>
public sealed class InProcessCache(TimeProvider clock) : ISharedCache
{
    private readonly ConcurrentDictionary<string, (byte[] Value, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private long _writes;

    /// <inheritdoc/>
    public Task<byte[]?> GetAsync(string key, CancellationToken ct)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.Expires > clock.GetUtcNow())
            {
                return Task.FromResult<byte[]?>(entry.Value);
            }
            _entries.TryRemove(KeyValuePair.Create(key, entry));
        }
        return Task.FromResult<byte[]?>(null);
    }

    /// <inheritdoc/>
    public Task SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan ttl, CancellationToken ct)
    {
        _entries[key] = (value.ToArray(), clock.GetUtcNow() + ttl);
        // Expired entries nobody asks for again would stay forever: sweep now and then.
        if (Interlocked.Increment(ref _writes) % 1024 == 0)
        {
            var now = clock.GetUtcNow();
            foreach (var (k, e) in _entries)
            {
                if (e.Expires <= now)
                {
                    _entries.TryRemove(KeyValuePair.Create(k, e));
                }
            }
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string key, CancellationToken ct)
    {
        _entries.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}
