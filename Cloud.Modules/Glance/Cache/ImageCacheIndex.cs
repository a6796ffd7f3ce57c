using Cloud.Modules.Glance.Cache.Db;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Glance.Cache;

/// <summary>
/// The cache's index (<c>cache.db</c> in the cache directory): size, checksum, last access and hits of every cached
/// image. A file of its own, not the cloud database, so a compute host's cache needs no database, and an operator's
/// <c>cloudd manage image-cache</c> sees what the running service sees (SQLite locks between processes).
/// </summary>
public sealed class ImageCacheIndex(string directory, TimeProvider clock)
{
    private readonly SqliteConnectionFactory _db = new(Path.Combine(directory, "cache.db"));
    private bool _created;

    public async Task<CachedImage?> GetAsync(string imageId, CancellationToken ct) =>
        await QueryAsync(async c => await c.QuerySingleOrDefaultAsync<CachedImage>(Cmd(ImageCacheQueries.ById, new { ImageId = imageId }, ct)).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>Cached images, most recently used first.</summary>
    public async Task<List<CachedImage>> ListAsync(CancellationToken ct) =>
        await QueryAsync(async c => (await c.QueryAsync<CachedImage>(Cmd(ImageCacheQueries.All, null, ct)).ConfigureAwait(false)).ToList(), ct).ConfigureAwait(false);

    /// <summary>Cached images, least recently used first.</summary>
    public async Task<List<CachedImage>> LeastRecentlyUsedAsync(CancellationToken ct) =>
        await QueryAsync(async c => (await c.QueryAsync<CachedImage>(Cmd(ImageCacheQueries.LeastRecentlyUsed, null, ct)).ConfigureAwait(false)).ToList(), ct).ConfigureAwait(false);

    public async Task<long> TotalSizeAsync(CancellationToken ct) =>
        await QueryAsync(c => c.ExecuteScalarAsync<long>(Cmd(ImageCacheQueries.TotalSize, null, ct)), ct).ConfigureAwait(false);

    /// <summary>Records a newly cached image (hits start at 0).</summary>
    public Task AddAsync(string imageId, long size, string? checksum, CancellationToken ct) =>
        ExecuteAsync(ImageCacheQueries.Upsert, new { ImageId = imageId, Size = size, Checksum = checksum, Now = Now() }, ct);

    /// <summary>Counts a read: one more hit, accessed now.</summary>
    public Task HitAsync(string imageId, CancellationToken ct) =>
        ExecuteAsync(ImageCacheQueries.Hit, new { ImageId = imageId, Now = Now() }, ct);

    public Task RemoveAsync(string imageId, CancellationToken ct) =>
        ExecuteAsync(ImageCacheQueries.Delete, new { ImageId = imageId }, ct);

    private double Now() => clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    private Task ExecuteAsync(string sql, object parameters, CancellationToken ct) =>
        QueryAsync(c => c.ExecuteAsync(Cmd(sql, parameters, ct)), ct);

    private async Task<T> QueryAsync<T>(Func<System.Data.Common.DbConnection, Task<T>> query, CancellationToken ct)
    {
        var connection = await _db.OpenAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (!_created)
            {
                await connection.ExecuteAsync(Cmd(ImageCacheQueries.CreateTable, null, ct)).ConfigureAwait(false);
                _created = true;
            }
            return await query(connection).ConfigureAwait(false);
        }
    }
}
