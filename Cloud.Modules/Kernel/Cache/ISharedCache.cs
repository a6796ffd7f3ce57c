namespace Cloud.Modules.Kernel.Cache;

/// <summary>
/// A cache shared by every process that names the same memcached servers (swift's <c>cache</c> middleware). Entries may
/// vanish at any time; a cache that cannot be reached behaves as empty, so callers fall back to their source of truth.
/// </summary>
public interface ISharedCache
{
    /// <summary>The value of <paramref name="key"/>, or null when absent, expired or the cache is unreachable.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken ct);

    /// <summary>Stores <paramref name="value"/> for <paramref name="ttl"/> (at most 30 days, memcached's limit for relative times).</summary>
    Task SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan ttl, CancellationToken ct);

    /// <summary>Forgets <paramref name="key"/>.</summary>
    Task DeleteAsync(string key, CancellationToken ct);
}
