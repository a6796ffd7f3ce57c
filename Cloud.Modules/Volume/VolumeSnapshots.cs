using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume.Db;

namespace Cloud.Modules.Volume;

/// <summary>The snapshot half of <see cref="VolumeApi"/>: a snapshot lives on its volume's host and counts against gigabytes.</summary>
public sealed class VolumeSnapshots(SnapshotStore store, VolumeStore volumes, VolumeQuotas quotas, VolumeRpcClient rpc)
{
    private static readonly string[] Deletable = [SnapshotStatuses.Available, SnapshotStatuses.Error];
    private static readonly string[] AvailableOnly = [VolumeStatuses.Available];
    private static readonly string[] AvailableOrInUse = [VolumeStatuses.Available, VolumeStatuses.InUse];

    internal async Task<SnapshotInfo> CreateAsync(RequestContext context, VolumeRow volume, string? name, string? description, bool force, CancellationToken cancellationToken)
    {
        VolumeInput.CheckText(name, "Name");
        VolumeInput.CheckText(description, "Description");
        var statuses = force ? AvailableOrInUse : AvailableOnly;
        RequireSnapshottable(volume, statuses);
        var (_, gigabytesLimit) = await quotas.LimitsAsync(volume.ProjectId, cancellationToken).ConfigureAwait(false);
        var uuid = Guid.NewGuid().ToString();
        if (!await store.InsertWithinQuotaAsync(uuid, context.UserId ?? volume.UserId, volume.Id, name, description, statuses, gigabytesLimit, cancellationToken).ConfigureAwait(false))
        {
            RequireSnapshottable(await volumes.ByUuidAsync(volume.Uuid, cancellationToken).ConfigureAwait(false) ?? throw VolumeApi.NotFound(volume.Uuid), statuses);
            throw await quotas.ExceededAsync(volume.ProjectId, volume.SizeGb, newVolume: false, cancellationToken).ConfigureAwait(false);
        }
        await rpc.CreateSnapshotAsync(context, volume.Host!, uuid, cancellationToken).ConfigureAwait(false);
        return await store.ByUuidAsync(uuid, cancellationToken).ConfigureAwait(false) ?? throw NotFound(uuid);
    }

    internal async Task<IReadOnlyList<SnapshotInfo>> ListAsync(RequestContext context, bool allProjects, string? volumeUuid, CancellationToken cancellationToken)
    {
        var everyProject = allProjects && context.IsAdmin;
        return await store.ListAsync(everyProject ? null : Policy.RequireScoped(context), volumeUuid, cancellationToken).ConfigureAwait(false);
    }

    internal Task<SnapshotInfo> GetAsync(RequestContext context, string snapshotUuid, CancellationToken cancellationToken) =>
        VisibleAsync(context, snapshotUuid, cancellationToken);

    internal async Task<SnapshotInfo> GetByIdAsync(RequestContext context, long id, CancellationToken cancellationToken)
    {
        VolumeApi.RequireCaller(context);
        var snapshot = await store.ByIdAsync(id, cancellationToken).ConfigureAwait(false);
        return snapshot is not null && VolumeApi.Sees(context, snapshot.ProjectId) ? snapshot : throw NotFound($"snap-{id:x8}");
    }

    internal async Task<SnapshotInfo> UpdateAsync(RequestContext context, string snapshotUuid, string? name, string? description, CancellationToken cancellationToken)
    {
        var snapshot = await VisibleAsync(context, snapshotUuid, cancellationToken).ConfigureAwait(false);
        VolumeInput.CheckText(name, "Name");
        VolumeInput.CheckText(description, "Description");
        await store.UpdateAsync(snapshot.Id, name, description, cancellationToken).ConfigureAwait(false);
        return await VisibleAsync(context, snapshotUuid, cancellationToken).ConfigureAwait(false);
    }

    internal async Task DeleteAsync(RequestContext context, string snapshotUuid, CancellationToken cancellationToken)
    {
        var snapshot = await VisibleAsync(context, snapshotUuid, cancellationToken).ConfigureAwait(false);
        if (!await store.TransitionAsync(snapshot.Uuid, Deletable, SnapshotStatuses.Deleting, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Invalid("Invalid snapshot: Volume Snapshot status must be available or error and must not be part of a group.");
        }
        if (snapshot.Host is null)
        {
            await store.DeleteAsync(snapshot.Id, cancellationToken).ConfigureAwait(false);
            return;
        }
        await rpc.DeleteSnapshotAsync(context, snapshot.Host, snapshot.Uuid, cancellationToken).ConfigureAwait(false);
    }

    internal Task<IReadOnlyList<SnapshotInfo>> OfVolumeAsync(long volumeId, CancellationToken cancellationToken) =>
        store.OfVolumeAsync(volumeId, cancellationToken);

    /// <summary>The snapshot when the caller may see it; 404 otherwise.</summary>
    internal async Task<SnapshotInfo> VisibleAsync(RequestContext context, string snapshotUuid, CancellationToken cancellationToken)
    {
        VolumeApi.RequireCaller(context);
        var snapshot = await store.ByUuidAsync(snapshotUuid, cancellationToken).ConfigureAwait(false);
        return snapshot is not null && VolumeApi.Sees(context, snapshot.ProjectId) ? snapshot : throw NotFound(snapshotUuid);
    }

    private static void RequireSnapshottable(VolumeRow volume, IReadOnlyCollection<string> statuses)
    {
        if (!statuses.Contains(volume.Status))
        {
            throw CloudException.Invalid($"Invalid volume: Volume {volume.Uuid} status must be available, but current status is: {volume.Status}.");
        }
    }

    private static CloudException NotFound(string snapshotId) => CloudException.NotFound($"Snapshot {snapshotId} could not be found.");
}
