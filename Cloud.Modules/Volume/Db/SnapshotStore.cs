using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Volume.Db;

/// <summary>The snapshots rows. State changes are conditional UPDATEs; false = the row was not in a state it may leave.</summary>
public sealed class SnapshotStore(IDbConnectionFactory db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Task<SnapshotInfo?> ByUuidAsync(string uuid, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<SnapshotInfo>(SnapshotQueries.ByUuid, new { Uuid = uuid }, cancellationToken);

    public Task<SnapshotInfo?> ByIdAsync(long id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<SnapshotInfo>(SnapshotQueries.ById, new { Id = id }, cancellationToken);

    /// <summary>Newest first; <paramref name="projectId"/> null = every project.</summary>
    public Task<IReadOnlyList<SnapshotInfo>> ListAsync(string? projectId, string? volumeUuid, CancellationToken cancellationToken) =>
        db.QueryListAsync<SnapshotInfo>(SnapshotQueries.List, new { AllProjects = projectId is null, ProjectId = projectId, VolumeUuid = volumeUuid }, cancellationToken);

    public Task<IReadOnlyList<SnapshotInfo>> OfVolumeAsync(long volumeId, CancellationToken cancellationToken) =>
        db.QueryListAsync<SnapshotInfo>(SnapshotQueries.OfVolume, new { VolumeId = volumeId }, cancellationToken);

    public Task<IReadOnlyList<SnapshotInfo>> StuckAsync(IReadOnlyCollection<string> statuses, DateTime before, CancellationToken cancellationToken) =>
        db.QueryListAsync<SnapshotInfo>(SnapshotQueries.Stuck, new { Statuses = statuses, Before = before }, cancellationToken);

    /// <summary>Inserts a snapshot of the volume when the volume is in one of <paramref name="volumeStatuses"/> and the quota allows; false = refused.</summary>
    public async Task<bool> InsertWithinQuotaAsync(string uuid, string userId, long volumeId, string? name, string? description,
        IReadOnlyCollection<string> volumeStatuses, long gigabytesLimit, CancellationToken cancellationToken) =>
        await ContendedWrite.RunAsync(() => db.ExecuteAsync(SnapshotQueries.InsertWithinQuota, new
        {
            Uuid = uuid, UserId = userId, VolumeId = volumeId, Name = name, Description = description, VolumeStatuses = volumeStatuses,
            GigabytesLimit = gigabytesLimit, Now,
        }, cancellationToken), cancellationToken).ConfigureAwait(false) == 1;

    public async Task UpdateAsync(long id, string? name, string? description, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(SnapshotQueries.UpdateNames, new { Id = id, Name = name, Description = description, Now }, cancellationToken).ConfigureAwait(false);

    public async Task<bool> TransitionAsync(string uuid, IReadOnlyCollection<string> from, string to, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(SnapshotQueries.Transition, new { Uuid = uuid, From = from, To = to, Now }, cancellationToken).ConfigureAwait(false) > 0;

    public async Task<bool> FailAsync(string uuid, IReadOnlyCollection<string> from, string to, string reason, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(SnapshotQueries.Fail, new { Uuid = uuid, From = from, To = to, Reason = reason, Now }, cancellationToken).ConfigureAwait(false) > 0;

    public async Task<bool> CreatedAsync(string uuid, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(SnapshotQueries.Created, new { Uuid = uuid, Now }, cancellationToken).ConfigureAwait(false) > 0;

    public async Task DeleteAsync(long id, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(SnapshotQueries.Delete, new { Id = id }, cancellationToken).ConfigureAwait(false);
}
