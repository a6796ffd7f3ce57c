using System.Data.Common;
using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Volume.Db;

/// <summary>The volume_hosts rows: each volume host's backing store capacity, written with its heartbeat.</summary>
public sealed class VolumeHostStore(IDbConnectionFactory db, TimeProvider clock)
{
    public async Task ReportAsync(string host, long totalGb, long freeGb, CancellationToken cancellationToken)
    {
        var args = new { Host = host, TotalGb = totalGb, FreeGb = freeGb, Now = clock.GetUtcNow().UtcDateTime };
        if (await db.ExecuteAsync(VolumeHostQueries.Update, args, cancellationToken).ConfigureAwait(false) > 0)
        {
            return;
        }
        try
        {
            await db.ExecuteAsync(VolumeHostQueries.Insert, args, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // Inserted by a concurrent report of the same host: this report is then an update.
            await db.ExecuteAsync(VolumeHostQueries.Update, args, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<IReadOnlyList<VolumeHostCapacity>> AllAsync(CancellationToken cancellationToken) =>
        db.QueryListAsync<VolumeHostCapacity>(VolumeHostQueries.All, null, cancellationToken);
}
