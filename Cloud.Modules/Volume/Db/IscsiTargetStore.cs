using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Volume.Db;

/// <summary>The iscsi_targets rows: each volume host's target numbers 1..--iscsi_num_targets and the volume holding each.</summary>
public sealed class IscsiTargetStore(IDbConnectionFactory db)
{
    private const int ClaimAttempts = 16;

    /// <summary>Makes target numbers 1..<paramref name="count"/> exist for the host (nova-volume did this at start).</summary>
    public async Task EnsureTargetsAsync(string host, int count, CancellationToken cancellationToken)
    {
        var existing = await db.ExecuteScalarAsync<long>(IscsiTargetQueries.MaxOfHost, new { Host = host }, cancellationToken).ConfigureAwait(false);
        if (existing >= count)
        {
            return;
        }
        await db.InTransactionAsync(async (c, t) =>
            await c.ExecuteAsync(Cmd(IscsiTargetQueries.EnsureTarget,
                Enumerable.Range(1, count).Select(n => new { Host = host, Num = n }), cancellationToken, t)).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The volume's target number; null when it holds none.</summary>
    public Task<int?> OfVolumeAsync(long volumeId, CancellationToken cancellationToken) =>
        db.ExecuteScalarAsync<int?>(IscsiTargetQueries.OfVolume, new { VolumeId = volumeId }, cancellationToken);

    /// <summary>The volume's target on <paramref name="host"/>: the one it holds, or a free one it now takes; null when the host has none free.</summary>
    public async Task<int?> AllocateAsync(string host, long volumeId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ClaimAttempts; attempt++)
        {
            if (await OfVolumeAsync(volumeId, cancellationToken).ConfigureAwait(false) is { } held)
            {
                return held;
            }
            var free = await db.ExecuteScalarAsync<int?>(IscsiTargetQueries.FirstFree, new { Host = host }, cancellationToken).ConfigureAwait(false);
            if (free is null)
            {
                return null;
            }
            if (await db.ExecuteAsync(IscsiTargetQueries.Claim, new { Host = host, Num = free, VolumeId = volumeId }, cancellationToken).ConfigureAwait(false) > 0)
            {
                return free;
            }
        }
        return null;
    }

    public async Task ReleaseAsync(long volumeId, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(IscsiTargetQueries.Release, new { VolumeId = volumeId }, cancellationToken).ConfigureAwait(false);
}
