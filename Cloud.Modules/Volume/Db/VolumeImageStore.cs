using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Volume.Db;

/// <summary>The volume_glance_metadata rows: what a volume made from an image keeps of it (<see cref="VolumeImageKeys"/>).</summary>
public sealed class VolumeImageStore(IDbConnectionFactory db)
{
    /// <summary>The image metadata of each volume that has some, by volume id.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyDictionary<string, string>>> OfAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<long, IReadOnlyDictionary<string, string>>();
        }
        var rows = await db.QueryListAsync<Row>(VolumeImageQueries.Of, new { Ids = ids }, cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(r => r.VolumeId).ToDictionary(
            g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal));
    }

    /// <summary>Replaces the volume's image metadata with <paramref name="values"/>, in one transaction.</summary>
    public async Task SetAsync(long volumeId, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(Cmd(VolumeImageQueries.DeleteOf, new { VolumeId = volumeId }, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(VolumeImageQueries.Insert, values.Select(kv => new { VolumeId = volumeId, kv.Key, kv.Value }), cancellationToken, t)).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    private sealed class Row
    {
        public long VolumeId { get; init; }

        public string Key { get; init; } = "";

        public string Value { get; init; } = "";
    }
}
