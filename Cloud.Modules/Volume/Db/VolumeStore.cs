using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Volume.Db;

/// <summary>The volumes and volume_metadata rows. Every state change is a conditional UPDATE; false = the row was not in a state it may leave.</summary>
public sealed class VolumeStore(IDbConnectionFactory db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Task<VolumeRow?> ByUuidAsync(string uuid, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<VolumeRow>(VolumeQueries.ByUuid, new { Uuid = uuid }, cancellationToken);

    public Task<VolumeRow?> ByIdAsync(long id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<VolumeRow>(VolumeQueries.ById, new { Id = id }, cancellationToken);

    /// <summary>Newest first; <paramref name="projectId"/> null = every project.</summary>
    public Task<IReadOnlyList<VolumeRow>> ListAsync(string? projectId, string? name, string? status, CancellationToken cancellationToken) =>
        db.QueryListAsync<VolumeRow>(VolumeQueries.List, new { AllProjects = projectId is null, ProjectId = projectId, Name = name, Status = status }, cancellationToken);

    public Task<IReadOnlyList<VolumeRow>> AllAsync(CancellationToken cancellationToken) =>
        db.QueryListAsync<VolumeRow>(VolumeQueries.All, null, cancellationToken);

    public Task<IReadOnlyList<VolumeRow>> OnHostAsync(string host, CancellationToken cancellationToken) =>
        db.QueryListAsync<VolumeRow>(VolumeQueries.OnHost, new { Host = host }, cancellationToken);

    public Task<IReadOnlyList<VolumeRow>> OfInstanceAsync(string instanceUuid, CancellationToken cancellationToken) =>
        db.QueryListAsync<VolumeRow>(VolumeQueries.OfInstance, new { InstanceUuid = instanceUuid }, cancellationToken);

    /// <summary>Volumes in one of <paramref name="statuses"/> unchanged since <paramref name="before"/>.</summary>
    public Task<IReadOnlyList<VolumeRow>> StuckAsync(IReadOnlyCollection<string> statuses, DateTime before, CancellationToken cancellationToken) =>
        db.QueryListAsync<VolumeRow>(VolumeQueries.Stuck, new { Statuses = statuses, Before = before }, cancellationToken);

    public async Task<VolumeUsage> UsageAsync(string projectId, CancellationToken cancellationToken) =>
        await db.QuerySingleOrDefaultAsync<VolumeUsage>(VolumeQueries.Usage, new { ProjectId = projectId }, cancellationToken).ConfigureAwait(false) ?? new VolumeUsage();

    /// <summary>GiB placed on each volume host.</summary>
    public async Task<IReadOnlyDictionary<string, long>> AllocatedByHostAsync(CancellationToken cancellationToken) =>
        (await db.QueryListAsync<HostGigabytes>(VolumeQueries.AllocatedByHost, null, cancellationToken).ConfigureAwait(false))
        .ToDictionary(r => r.Host, r => r.Gigabytes, StringComparer.Ordinal);

    /// <summary>Inserts the volume and its metadata when it fits the quotas (one statement decides); false = over quota, nothing written.</summary>
    public async Task<bool> InsertWithinQuotaAsync(string userId, NewVolume volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return await ContendedWrite.RunAsync(async () =>
        {
            var inserted = false;
            await db.InTransactionAsync(async (c, t) =>
            {
                inserted = await c.ExecuteAsync(Cmd(VolumeQueries.InsertWithinQuota, new
                {
                    volume.Uuid, volume.ProjectId, UserId = userId, volume.Name, volume.Description, volume.SizeGb, volume.AvailabilityZone,
                    volume.Host, volume.VolumeType, volume.SnapshotUuid, volume.SourceVolumeUuid, volume.Bootable, volume.VolumesLimit,
                    volume.GigabytesLimit, Now,
                }, cancellationToken, t)).ConfigureAwait(false) == 1;
                if (inserted && volume.Metadata.Count > 0)
                {
                    var id = await c.ExecuteScalarAsync<long>(Cmd(VolumeQueries.IdOfUuid, new { volume.Uuid }, cancellationToken, t)).ConfigureAwait(false);
                    await c.ExecuteAsync(Cmd(VolumeQueries.InsertMetadata,
                        volume.Metadata.Select(kv => new { VolumeId = id, kv.Key, kv.Value }), cancellationToken, t)).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
            return inserted;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The metadata of each volume, by id.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyDictionary<string, string>>> MetadataAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<long, IReadOnlyDictionary<string, string>>();
        }
        var rows = await db.QueryListAsync<MetadataRow>(VolumeQueries.MetadataOf, new { Ids = ids }, cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(r => r.VolumeId).ToDictionary(
            g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal));
    }

    /// <summary>Changes name and description (null = unchanged) and replaces the metadata when given, in one transaction.</summary>
    public async Task UpdateAsync(long id, string? name, string? description, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        await db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(Cmd(VolumeQueries.UpdateNames, new { Id = id, Name = name, Description = description, Now }, cancellationToken, t)).ConfigureAwait(false);
            if (metadata is not null)
            {
                await c.ExecuteAsync(Cmd(VolumeQueries.DeleteMetadata, new { VolumeId = id }, cancellationToken, t)).ConfigureAwait(false);
                await c.ExecuteAsync(Cmd(VolumeQueries.InsertMetadata,
                    metadata.Select(kv => new { VolumeId = id, kv.Key, kv.Value }), cancellationToken, t)).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> SetBootableAsync(long id, bool bootable, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.SetBootable, new { Id = id, Bootable = bootable, Now }, cancellationToken);

    public Task<bool> TransitionAsync(string uuid, IReadOnlyCollection<string> from, string to, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.Transition, new { Uuid = uuid, From = from, To = to, Now }, cancellationToken);

    /// <summary>The volume goes to the error status <paramref name="to"/> with <paramref name="reason"/>, from one of <paramref name="from"/>.</summary>
    public Task<bool> FailAsync(string uuid, IReadOnlyCollection<string> from, string to, string reason, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.Fail, new { Uuid = uuid, From = from, To = to, Reason = reason, Now }, cancellationToken);

    public Task<bool> BeginDeleteAsync(string uuid, IReadOnlyCollection<string> from, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.BeginDelete, new { Uuid = uuid, From = from, Now }, cancellationToken);

    public Task<bool> ForceDeleteAsync(long id, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.ForceDelete, new { Id = id, Now }, cancellationToken);

    public Task<bool> BeginExtendAsync(string uuid, string projectId, long newSizeGb, long gigabytesLimit, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.BeginExtend, new { Uuid = uuid, ProjectId = projectId, NewSizeGb = newSizeGb, GigabytesLimit = gigabytesLimit, Now }, cancellationToken);

    public Task<bool> ExtendedAsync(string uuid, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.Extended, new { Uuid = uuid, Now }, cancellationToken);

    public Task<bool> PlaceAsync(string uuid, string host, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.Place, new { Uuid = uuid, Host = host, Now }, cancellationToken);

    /// <summary>creating → available with the backing path and CHAP credentials the manager made.</summary>
    public Task<bool> CreatedAsync(string uuid, string providerLocation, string providerAuth, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.Created, new { Uuid = uuid, ProviderLocation = providerLocation, ProviderAuth = providerAuth, Now }, cancellationToken);

    public Task<bool> ReserveAsync(string uuid, string attachmentId, string instanceUuid, string? mountpoint, bool deleteOnTermination, int? bootIndex, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.Reserve, new
        {
            Uuid = uuid, AttachmentId = attachmentId, InstanceUuid = instanceUuid, Mountpoint = mountpoint,
            DeleteOnTermination = deleteOnTermination, BootIndex = bootIndex, Now,
        }, cancellationToken);

    public Task<bool> AttachedAsync(string uuid, string instanceUuid, string host, string mountpoint, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.Attached, new { Uuid = uuid, InstanceUuid = instanceUuid, Host = host, Mountpoint = mountpoint, Now }, cancellationToken);

    /// <summary>Clears the attachment: available again, from one of <paramref name="from"/>.</summary>
    public Task<bool> DetachAsync(string uuid, IReadOnlyCollection<string> from, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.Detach, new { Uuid = uuid, From = from, Now }, cancellationToken);

    public Task<bool> SetAttachStatusAsync(string uuid, IReadOnlyCollection<string> from, string to, string attachStatus, CancellationToken cancellationToken) =>
        ChangedAsync(VolumeQueries.SetAttachStatus, new { Uuid = uuid, From = from, To = to, AttachStatus = attachStatus, Now }, cancellationToken);

    /// <summary>Removes the row and its metadata.</summary>
    public async Task DeleteAsync(long id, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(Cmd(VolumeQueries.DeleteMetadataOfDeleted, new { Id = id }, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(VolumeQueries.Delete, new { Id = id }, cancellationToken, t)).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>A conditional UPDATE: rerun when MariaDB made it a deadlock victim (it changed nothing then).</summary>
    private async Task<bool> ChangedAsync(string sql, object args, CancellationToken cancellationToken) =>
        await ContendedWrite.RunAsync(() => db.ExecuteAsync(sql, args, cancellationToken), cancellationToken).ConfigureAwait(false) > 0;

    private sealed class MetadataRow
    {
        public long VolumeId { get; init; }

        public string Key { get; init; } = "";

        public string Value { get; init; } = "";
    }

    private sealed class HostGigabytes
    {
        public string Host { get; init; } = "";

        public long Gigabytes { get; init; }
    }
}
