using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Volume;

/// <summary>
/// The volume service's in-process façade (nova.volume.api): every API (EC2, Nova os-volumes, Cinder v3) and the compute
/// manager go through it. It validates and authorizes (a project sees and touches only its own volumes and snapshots;
/// another project's is not found), enforces the quotas <c>volumes</c> and <c>gigabytes</c>, writes the database and casts
/// to the scheduler or to <c>volume.&lt;host&gt;</c>. Ids are uuids, or the integer id for EC2 (<c>vol-%08x</c>).
/// </summary>
/// <remarks>CONTRACT SKELETON: the signatures are fixed for the parallel work; the bodies come with the volume role.</remarks>
public sealed class VolumeApi
{
    // ---- tenant: volumes
    /// <summary>Validates (size ≥ 1, zone known, snapshot/source visible and usable), checks quotas, inserts the volume as creating and has it scheduled.</summary>
    public Task<VolumeInfo> CreateAsync(RequestContext context, CreateVolumeRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>The caller's project's volumes (every project's for an admin asking for all).</summary>
    public Task<IReadOnlyList<VolumeInfo>> ListAsync(RequestContext context, VolumeListQuery query, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>One volume by uuid; another project's (or an unknown one) is not found (404 "Volume &lt;id&gt; could not be found.").</summary>
    public Task<VolumeInfo> GetAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>One volume by its integer id (EC2's vol-%08x); same rules as <see cref="GetAsync"/>.</summary>
    public Task<VolumeInfo> GetByIdAsync(RequestContext context, long id, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Changes name, description and/or metadata (null = unchanged; metadata replaces the whole set).</summary>
    public Task<VolumeInfo> UpdateAsync(RequestContext context, string volumeUuid, string? name, string? description, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Sets the volume deleting and has its host wipe and remove it; refused (400) unless available or error, and while it has snapshots.</summary>
    public Task DeleteAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Grows an available volume to <paramref name="newSizeGb"/> (larger than now; gigabytes quota checked).</summary>
    public Task ExtendAsync(RequestContext context, string volumeUuid, long newSizeGb, CancellationToken cancellationToken) => throw new NotImplementedException();

    // ---- tenant: snapshots
    /// <summary>Snapshots an available volume (an in-use one only with <paramref name="force"/>); counts against gigabytes.</summary>
    public Task<SnapshotInfo> CreateSnapshotAsync(RequestContext context, string volumeUuid, string? name, string? description, bool force, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>The caller's project's snapshots (every project's for an admin asking for all), optionally of one volume.</summary>
    public Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(RequestContext context, bool allProjects, string? volumeUuid, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>One snapshot by uuid; another project's is not found.</summary>
    public Task<SnapshotInfo> GetSnapshotAsync(RequestContext context, string snapshotUuid, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>One snapshot by its integer id (EC2's snap-%08x).</summary>
    public Task<SnapshotInfo> GetSnapshotByIdAsync(RequestContext context, long id, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Changes a snapshot's name and/or description.</summary>
    public Task<SnapshotInfo> UpdateSnapshotAsync(RequestContext context, string snapshotUuid, string? name, string? description, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Sets the snapshot deleting and has its host remove it; refused unless available or error.</summary>
    public Task DeleteSnapshotAsync(RequestContext context, string snapshotUuid, CancellationToken cancellationToken) => throw new NotImplementedException();

    // ---- attach flow (the compute manager, and Cinder's os-reserve/os-attach/attachments actions)
    /// <summary>
    /// available → attaching for <paramref name="instanceUuid"/> (the caller's project's instance, checked by the caller):
    /// refused (400 "Invalid volume: volume status must be available") when it is not available, so a volume is never
    /// attached twice. Returns the volume with its new <see cref="VolumeInfo.AttachmentId"/>.
    /// </summary>
    public Task<VolumeInfo> ReserveAsync(RequestContext context, string volumeUuid, string instanceUuid, string? mountpoint, bool deleteOnTermination, int? bootIndex, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>attaching → available: the attach failed or was abandoned.</summary>
    public Task UnreserveAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Asks the volume's host (a call) to ensure its export and returns how <paramref name="connectorHost"/> reaches it.</summary>
    public Task<VolumeConnection> InitializeConnectionAsync(RequestContext context, string volumeUuid, string connectorHost, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>The compute host is done with the connection (nothing to undo for tgt exports bound to all initiators; kept for the flow).</summary>
    public Task TerminateConnectionAsync(RequestContext context, string volumeUuid, string connectorHost, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>attaching → in-use: the guest has the disk as <paramref name="mountpoint"/> on <paramref name="host"/>.</summary>
    public Task AttachedAsync(RequestContext context, string volumeUuid, string instanceUuid, string host, string mountpoint, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>in-use → detaching; refused unless in-use.</summary>
    public Task BeginDetachingAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>detaching → in-use: the detach failed.</summary>
    public Task RollDetachingAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>detaching (or in-use, for a terminated instance) → available; the attachment is cleared.</summary>
    public Task DetachedAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>The volumes attached or being attached to an instance, by boot index then mountpoint (compute's boot, reconcile and terminate).</summary>
    public Task<IReadOnlyList<VolumeInfo>> ForInstanceAsync(RequestContext context, string instanceUuid, CancellationToken cancellationToken) => throw new NotImplementedException();

    // ---- operator and scheduler
    /// <summary>Every volume of every project (<c>cloudd manage volume list</c>).</summary>
    public Task<IReadOnlyList<VolumeInfo>> ListAllAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary><c>cloudd manage volume delete ID</c>: deletes whatever its status (detaching it in the database first), as nova-manage did.</summary>
    public Task ForceDeleteAsync(string volumeUuidOrId, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>The volume hosts with their zone, liveness and reported capacity (the scheduler's view).</summary>
    public Task<IReadOnlyList<VolumeHostState>> ListHostsAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>The scheduler found no host: the volume goes to error with <paramref name="reason"/> and its quota is given back.</summary>
    public Task PlacementFailedAsync(RequestContext context, string volumeUuid, string reason, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>The scheduler placed the volume on <paramref name="host"/>: records it and casts <c>create_volume</c> to <c>volume.&lt;host&gt;</c>.</summary>
    public Task PlaceAsync(RequestContext context, string volumeUuid, string host, CancellationToken cancellationToken) => throw new NotImplementedException();
}
