using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Volume.Db;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Volume;

/// <summary>
/// The volume service's in-process façade (nova.volume.api): every API (EC2, Nova os-volumes, Cinder v3) and the compute
/// manager go through it. It validates and authorizes (a project sees and touches only its own volumes and snapshots;
/// another project's is not found), enforces the quotas <c>volumes</c> and <c>gigabytes</c>, writes the database and casts
/// to the scheduler or to <c>volume.&lt;host&gt;</c>. Ids are uuids, or the integer id for EC2 (<c>vol-%08x</c>).
/// Every state change is a conditional UPDATE of the row, so of two concurrent requests (two attaches, an attach and a
/// delete) exactly one wins and the other is refused.
/// </summary>
public sealed class VolumeApi(
    VolumeStore store,
    VolumeQuotas quotas,
    VolumeSnapshots snapshotsApi,
    VolumeAttachments attachments,
    VolumeHostStore hostStore,
    ServiceGroup services,
    IVolumeScheduler scheduler,
    VolumeRpcClient rpc,
    IOptions<VolumeFlags> flags)
{
    /// <summary>Cinder's refusal of a delete (the statuses it allows, and no attachment or snapshots).</summary>
    public const string DeleteRefused = "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing "
        + "and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.";

    private static readonly string[] Deletable = [VolumeStatuses.Available, VolumeStatuses.Error, "error_restoring", VolumeStatuses.ErrorExtending, "error_managing"];
    private static readonly string[] Creating = [VolumeStatuses.Creating];

    // ---- tenant: volumes
    /// <summary>Validates (size ≥ 1, zone known, snapshot/source visible and usable), checks quotas, inserts the volume as creating and has it scheduled.</summary>
    public async Task<VolumeInfo> CreateAsync(RequestContext context, CreateVolumeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var projectId = Policy.RequireScoped(context);
        VolumeInput.CheckText(request.Name, "Name");
        VolumeInput.CheckText(request.Description, "Description");
        VolumeInput.CheckMetadata(request.Metadata);
        var volumeType = VolumeInput.TypeOf(request.VolumeType);
        var origin = await VolumeOrigin.ResolveAsync(this, snapshotsApi, context, request, cancellationToken).ConfigureAwait(false);
        var size = request.SizeGb ?? origin?.SizeGb;
        VolumeInput.CheckSize(size);
        origin?.CheckFits(size!.Value, request.AvailabilityZone);
        var zone = request.AvailabilityZone ?? origin?.AvailabilityZone ?? flags.Value.StorageAvailabilityZone;
        await CheckZoneAsync(zone, cancellationToken).ConfigureAwait(false);

        var (volumesLimit, gigabytesLimit) = await quotas.LimitsAsync(projectId, cancellationToken).ConfigureAwait(false);
        var uuid = Guid.NewGuid().ToString();
        var row = new NewVolume(uuid, projectId, context.UserId!, request.Name, request.Description, size!.Value, zone, volumeType,
            origin?.SnapshotUuid, origin?.SourceVolumeUuid, origin?.Host, origin?.Bootable ?? false,
            request.Metadata ?? new Dictionary<string, string>(), volumesLimit, gigabytesLimit);
        if (!await store.InsertWithinQuotaAsync(context.UserId!, row, cancellationToken).ConfigureAwait(false))
        {
            throw await quotas.ExceededAsync(projectId, size.Value, newVolume: true, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            // A copy (of a snapshot or a volume) is made where its origin's bytes are: no scheduling.
            await (origin?.Host is { } host
                ? rpc.CreateVolumeAsync(context, host, uuid, cancellationToken)
                : scheduler.ScheduleCreateVolumeAsync(context, uuid, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.FailAsync(uuid, Creating, VolumeStatuses.Error, $"The scheduler could not be reached: {e.Message}", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return await InfoAsync(await store.ByUuidAsync(uuid, cancellationToken).ConfigureAwait(false) ?? throw NotFound(uuid), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The caller's project's volumes (every project's for an admin asking for all).</summary>
    public async Task<IReadOnlyList<VolumeInfo>> ListAsync(RequestContext context, VolumeListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var projectId = Policy.RequireScoped(context);
        IEnumerable<VolumeRow> rows = await store.ListAsync(query.AllProjects && context.IsAdmin ? null : projectId, query.Name, query.Status, cancellationToken).ConfigureAwait(false);
        if (query.Ids is { } ids)
        {
            var wanted = ids.ToHashSet(StringComparer.OrdinalIgnoreCase);
            rows = rows.Where(r => wanted.Contains(r.Uuid) || wanted.Contains(r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        var page = Paging.Page(rows.ToList(), r => r.Uuid, query.Marker, query.Limit);
        return await InfosAsync(page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One volume by uuid; another project's (or an unknown one) is not found (404 "Volume &lt;id&gt; could not be found.").</summary>
    public async Task<VolumeInfo> GetAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) =>
        await InfoAsync(await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>One volume by its integer id (EC2's vol-%08x); same rules as <see cref="GetAsync"/>.</summary>
    public async Task<VolumeInfo> GetByIdAsync(RequestContext context, long id, CancellationToken cancellationToken)
    {
        Policy.RequireAuthenticated(context);
        var row = await store.ByIdAsync(id, cancellationToken).ConfigureAwait(false);
        return row is not null && Sees(context, row.ProjectId)
            ? await InfoAsync(row, cancellationToken).ConfigureAwait(false)
            : throw CloudException.NotFound($"Volume vol-{id:x8} could not be found.");
    }

    /// <summary>Changes name, description and/or metadata (null = unchanged; metadata replaces the whole set).</summary>
    public async Task<VolumeInfo> UpdateAsync(RequestContext context, string volumeUuid, string? name, string? description, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var row = await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
        VolumeInput.CheckText(name, "Name");
        VolumeInput.CheckText(description, "Description");
        VolumeInput.CheckMetadata(metadata);
        await store.UpdateAsync(row.Id, name, description, metadata, cancellationToken).ConfigureAwait(false);
        return await GetAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the volume deleting and has its host wipe and remove it; refused (400) unless available or error, and while it has snapshots.</summary>
    public async Task DeleteAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken)
    {
        var row = await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
        if (!await store.BeginDeleteAsync(row.Uuid, Deletable, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Invalid(DeleteRefused);
        }
        await RemoveAsync(context, row, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Grows an available volume to <paramref name="newSizeGb"/> (larger than now; gigabytes quota checked).</summary>
    public async Task ExtendAsync(RequestContext context, string volumeUuid, long newSizeGb, CancellationToken cancellationToken)
    {
        var row = await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
        RequireExtendable(row);
        if (newSizeGb <= row.SizeGb)
        {
            throw CloudException.Invalid($"Invalid input received: New size for extend must be greater than current size. (current: {row.SizeGb}, extended: {newSizeGb}).");
        }
        var (_, gigabytesLimit) = await quotas.LimitsAsync(row.ProjectId, cancellationToken).ConfigureAwait(false);
        if (!await store.BeginExtendAsync(row.Uuid, row.ProjectId, newSizeGb, gigabytesLimit, cancellationToken).ConfigureAwait(false))
        {
            RequireExtendable(await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false));
            throw await quotas.ExceededAsync(row.ProjectId, newSizeGb - row.SizeGb, newVolume: false, cancellationToken).ConfigureAwait(false);
        }
        await rpc.ExtendVolumeAsync(context, row.Host!, row.Uuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the volume bootable or not (Cinder's os-set_bootable); the owner may, whatever its status.</summary>
    public async Task SetBootableAsync(RequestContext context, string volumeUuid, bool bootable, CancellationToken cancellationToken)
    {
        var row = await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
        await store.SetBootableAsync(row.Id, bootable, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An admin's os-reset_status: the volume's status set to <paramref name="status"/> whatever it was (and its attach
    /// status when given: attached or detached), for a volume an operator knows is stuck. Nothing is done on the host.
    /// </summary>
    public async Task ResetStatusAsync(RequestContext context, string volumeUuid, string status, string? attachStatus, CancellationToken cancellationToken)
    {
        Policy.RequireAdmin(context);
        string[] statuses = [VolumeStatuses.Creating, VolumeStatuses.Available, VolumeStatuses.Attaching, VolumeStatuses.InUse, VolumeStatuses.Detaching,
            VolumeStatuses.Extending, VolumeStatuses.Deleting, VolumeStatuses.Error, VolumeStatuses.ErrorDeleting, VolumeStatuses.ErrorExtending];
        if (!statuses.Contains(status, StringComparer.Ordinal) || attachStatus is not (null or "attached" or "detached"))
        {
            throw CloudException.Invalid($"Invalid input received: Must specify a valid status ({string.Join(", ", statuses)}) and attach status (attached, detached).");
        }
        var row = await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
        var changed = attachStatus is null
            ? await store.TransitionAsync(row.Uuid, [row.Status], status, cancellationToken).ConfigureAwait(false)
            : await store.SetAttachStatusAsync(row.Uuid, [row.Status], status, attachStatus, cancellationToken).ConfigureAwait(false);
        if (!changed)
        {
            throw CloudException.Conflict($"Volume {volumeUuid} changed status while being reset; try again.");
        }
    }

    // ---- tenant: snapshots
    /// <summary>Snapshots an available volume (an in-use one only with <paramref name="force"/>); counts against gigabytes.</summary>
    public async Task<SnapshotInfo> CreateSnapshotAsync(RequestContext context, string volumeUuid, string? name, string? description, bool force, CancellationToken cancellationToken) =>
        await snapshotsApi.CreateAsync(context, await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false), name, description, force, cancellationToken).ConfigureAwait(false);

    /// <summary>The caller's project's snapshots (every project's for an admin asking for all), optionally of one volume.</summary>
    public Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(RequestContext context, bool allProjects, string? volumeUuid, CancellationToken cancellationToken) =>
        snapshotsApi.ListAsync(context, allProjects, volumeUuid, cancellationToken);

    /// <summary>One snapshot by uuid; another project's is not found.</summary>
    public Task<SnapshotInfo> GetSnapshotAsync(RequestContext context, string snapshotUuid, CancellationToken cancellationToken) =>
        snapshotsApi.GetAsync(context, snapshotUuid, cancellationToken);

    /// <summary>One snapshot by its integer id (EC2's snap-%08x).</summary>
    public Task<SnapshotInfo> GetSnapshotByIdAsync(RequestContext context, long id, CancellationToken cancellationToken) =>
        snapshotsApi.GetByIdAsync(context, id, cancellationToken);

    /// <summary>Changes a snapshot's name and/or description.</summary>
    public Task<SnapshotInfo> UpdateSnapshotAsync(RequestContext context, string snapshotUuid, string? name, string? description, CancellationToken cancellationToken) =>
        snapshotsApi.UpdateAsync(context, snapshotUuid, name, description, cancellationToken);

    /// <summary>Sets the snapshot deleting and has its host remove it; refused unless available or error.</summary>
    public Task DeleteSnapshotAsync(RequestContext context, string snapshotUuid, CancellationToken cancellationToken) =>
        snapshotsApi.DeleteAsync(context, snapshotUuid, cancellationToken);

    // ---- attach flow (the compute manager, and Cinder's os-reserve/os-attach/attachments actions)
    /// <summary>
    /// available → attaching for <paramref name="instanceUuid"/> (the caller's project's instance, checked by the caller):
    /// refused (400 "Invalid volume: volume status must be available") when it is not available, so a volume is never
    /// attached twice. Returns the volume with its new <see cref="VolumeInfo.AttachmentId"/>.
    /// </summary>
    public async Task<VolumeInfo> ReserveAsync(RequestContext context, string volumeUuid, string instanceUuid, string? mountpoint, bool deleteOnTermination, int? bootIndex, CancellationToken cancellationToken)
    {
        var row = await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
        await attachments.ReserveAsync(row, instanceUuid, mountpoint, deleteOnTermination, bootIndex, cancellationToken).ConfigureAwait(false);
        return await GetAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>attaching → available: the attach failed or was abandoned.</summary>
    public async Task UnreserveAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) =>
        await attachments.UnreserveAsync(await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Asks the volume's host (a call) to ensure its export and returns how <paramref name="connectorHost"/> reaches it.</summary>
    public async Task<VolumeConnection> InitializeConnectionAsync(RequestContext context, string volumeUuid, string connectorHost, CancellationToken cancellationToken) =>
        await attachments.InitializeConnectionAsync(context, await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false), connectorHost, cancellationToken).ConfigureAwait(false);

    /// <summary>The compute host is done with the connection (nothing to undo for tgt exports bound to all initiators; kept for the flow).</summary>
    public async Task TerminateConnectionAsync(RequestContext context, string volumeUuid, string connectorHost, CancellationToken cancellationToken) =>
        await attachments.TerminateConnectionAsync(context, await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false), connectorHost, cancellationToken).ConfigureAwait(false);

    /// <summary>attaching → in-use: the guest has the disk as <paramref name="mountpoint"/> on <paramref name="host"/>.</summary>
    public async Task AttachedAsync(RequestContext context, string volumeUuid, string instanceUuid, string host, string mountpoint, CancellationToken cancellationToken) =>
        await attachments.AttachedAsync(await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false), instanceUuid, host, mountpoint, cancellationToken).ConfigureAwait(false);

    /// <summary>in-use → detaching; refused unless in-use.</summary>
    public async Task BeginDetachingAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) =>
        await attachments.BeginDetachingAsync(await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>detaching → in-use: the detach failed.</summary>
    public async Task RollDetachingAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) =>
        await attachments.RollDetachingAsync(await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>detaching (or in-use, for a terminated instance) → available; the attachment is cleared.</summary>
    public async Task DetachedAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken) =>
        await attachments.DetachedAsync(await VisibleAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The volumes attached or being attached to an instance, by boot index then mountpoint (compute's boot, reconcile and terminate).</summary>
    public async Task<IReadOnlyList<VolumeInfo>> ForInstanceAsync(RequestContext context, string instanceUuid, CancellationToken cancellationToken)
    {
        Policy.RequireAuthenticated(context);
        var rows = (await store.OfInstanceAsync(instanceUuid, cancellationToken).ConfigureAwait(false))
            .Where(r => Sees(context, r.ProjectId))
            .OrderBy(r => r.BootIndex ?? int.MaxValue).ThenBy(r => r.Mountpoint, StringComparer.Ordinal).ToList();
        return await InfosAsync(rows, cancellationToken).ConfigureAwait(false);
    }

    // ---- operator and scheduler
    /// <summary>Every volume of every project (<c>cloudd manage volume list</c>).</summary>
    public async Task<IReadOnlyList<VolumeInfo>> ListAllAsync(CancellationToken cancellationToken) =>
        await InfosAsync(await store.AllAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary><c>cloudd manage volume delete ID</c>: deletes whatever its status (detaching it in the database first), as nova-manage did.</summary>
    public async Task ForceDeleteAsync(string volumeUuidOrId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volumeUuidOrId);
        var row = (IntegerId(volumeUuidOrId) is { } id
                ? await store.ByIdAsync(id, cancellationToken).ConfigureAwait(false)
                : await store.ByUuidAsync(volumeUuidOrId, cancellationToken).ConfigureAwait(false))
            ?? throw NotFound(volumeUuidOrId);
        if ((await snapshotsApi.OfVolumeAsync(row.Id, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            throw CloudException.Conflict($"Volume {row.Uuid} has snapshots; delete them first.");
        }
        await store.ForceDeleteAsync(row.Id, cancellationToken).ConfigureAwait(false);
        await RemoveAsync(RequestContext.Service(), row, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The volume hosts with their zone, liveness and reported capacity (the scheduler's view).</summary>
    public async Task<IReadOnlyList<VolumeHostState>> ListHostsAsync(CancellationToken cancellationToken)
    {
        var rows = await services.ListByTopicAsync(VolumeRpcClient.Topic, cancellationToken).ConfigureAwait(false);
        var capacities = (await hostStore.AllAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Host, StringComparer.Ordinal);
        var allocated = await store.AllocatedByHostAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(s => new VolumeHostState(s.Host, s.AvailabilityZone, !s.Disabled && services.IsUp(s),
            capacities.TryGetValue(s.Host, out var c) ? c.TotalGb : 0, c?.FreeGb ?? 0, allocated.GetValueOrDefault(s.Host))).ToList();
    }

    /// <summary>
    /// The scheduler found no host: the volume goes to error with <paramref name="reason"/>. As in Cinder, a volume in
    /// error still counts against the quotas until it is deleted.
    /// </summary>
    public async Task PlacementFailedAsync(RequestContext context, string volumeUuid, string reason, CancellationToken cancellationToken) =>
        await store.FailAsync(volumeUuid, Creating, VolumeStatuses.Error, reason, cancellationToken).ConfigureAwait(false);

    /// <summary>The scheduler placed the volume on <paramref name="host"/>: records it and casts <c>create_volume</c> to <c>volume.&lt;host&gt;</c>.</summary>
    public async Task PlaceAsync(RequestContext context, string volumeUuid, string host, CancellationToken cancellationToken)
    {
        if (await store.PlaceAsync(volumeUuid, host, cancellationToken).ConfigureAwait(false))
        {
            await rpc.CreateVolumeAsync(context, host, volumeUuid, cancellationToken).ConfigureAwait(false);
        }
    }

    // ---- shared with the snapshot and attachment helpers
    /// <summary>The volume when the caller may see it (its project's, or any for an admin); 404 otherwise.</summary>
    internal async Task<VolumeRow> VisibleAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken)
    {
        Policy.RequireAuthenticated(context);
        var row = await store.ByUuidAsync(volumeUuid, cancellationToken).ConfigureAwait(false);
        return row is not null && Sees(context, row.ProjectId) ? row : throw NotFound(volumeUuid);
    }

    internal static bool Sees(RequestContext context, string projectId) => context.IsAdmin || context.ProjectId == projectId;

    internal static CloudException NotFound(string volumeId) => CloudException.NotFound($"Volume {volumeId} could not be found.");

    /// <summary>The integer id of "42" or "vol-0000002a"; null for anything else (a uuid).</summary>
    private static long? IntegerId(string id) =>
        long.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number
        : id.StartsWith("vol-", StringComparison.Ordinal) && long.TryParse(id.AsSpan(4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var hex) ? hex
        : null;

    private static void RequireExtendable(VolumeRow row)
    {
        if (row.Status != VolumeStatuses.Available)
        {
            throw CloudException.Invalid($"Invalid volume: Volume status must be 'available' to extend, but current status is: {row.Status}.");
        }
    }

    /// <summary>Zones that exist: those of the volume services, and <c>--storage_availability_zone</c>.</summary>
    private async Task CheckZoneAsync(string zone, CancellationToken cancellationToken)
    {
        if (zone == flags.Value.StorageAvailabilityZone)
        {
            return;
        }
        var zones = (await services.ListByTopicAsync(VolumeRpcClient.Topic, cancellationToken).ConfigureAwait(false)).Select(s => s.AvailabilityZone);
        if (!zones.Contains(zone, StringComparer.Ordinal))
        {
            throw CloudException.Invalid($"Availability zone '{zone}' is invalid.");
        }
    }

    /// <summary>A volume just set deleting: its host removes it; one never placed has nothing on any host and goes now.</summary>
    private async Task RemoveAsync(RequestContext context, VolumeRow row, CancellationToken cancellationToken)
    {
        if (row.Host is null)
        {
            await store.DeleteAsync(row.Id, cancellationToken).ConfigureAwait(false);
            return;
        }
        await rpc.DeleteVolumeAsync(context, row.Host, row.Uuid, cancellationToken).ConfigureAwait(false);
    }

    private async Task<VolumeInfo> InfoAsync(VolumeRow row, CancellationToken cancellationToken) =>
        (await InfosAsync([row], cancellationToken).ConfigureAwait(false))[0];

    private async Task<IReadOnlyList<VolumeInfo>> InfosAsync(IReadOnlyList<VolumeRow> rows, CancellationToken cancellationToken)
    {
        var metadata = await store.MetadataAsync(rows.Select(r => r.Id).ToList(), cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, string> none = new Dictionary<string, string>();
        return rows.Select(r => r.ToInfo(metadata.GetValueOrDefault(r.Id, none))).ToList();
    }
}
