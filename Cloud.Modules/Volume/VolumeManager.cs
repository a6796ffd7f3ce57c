using System.Collections.Concurrent;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Volume.Db;
using Cloud.Modules.Volume.Drivers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Volume;

/// <summary>
/// nova-volume's manager on <c>volume.&lt;host&gt;</c>: owns this host's volumes and snapshots. Every handler reads the row
/// first and acts only from the state the API left (a redelivered message does nothing twice); a failure leaves the row in
/// an error status with the reason and undoes what it made (no half-made volume, export or target). At start it checks the
/// backing store and tgtd (the role does not start without them: a volume host that cannot export must not look up to the
/// scheduler), and rebuilds this host's exports from the database.
/// </summary>
public sealed partial class VolumeManager(
    VolumeStore volumes,
    SnapshotStore snapshots,
    IscsiTargetStore targets,
    VolumeHostStore hostStore,
    IVolumeDriver driver,
    IIscsiTargetDriver target,
    VolumeExports exports,
    VolumeNames names,
    IOptions<VolumeFlags> flags,
    IOptions<CommonFlags> common,
    TimeProvider clock,
    ILogger<VolumeManager> log) : IRpcEndpoint, IReportsState, IPeriodicTasks, IHostedService
{
    private static readonly string[] Creating = [VolumeStatuses.Creating];
    private static readonly string[] Deleting = [VolumeStatuses.Deleting];
    private static readonly string[] Extending = [VolumeStatuses.Extending];
    private static readonly string[] SnapshotCreating = [SnapshotStatuses.Creating];
    private static readonly string[] SnapshotDeleting = [SnapshotStatuses.Deleting];

    /// <summary>Volumes and snapshots a handler of this process is working on, which the stuck-state task leaves alone.</summary>
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    private string Host => common.Value.Host;

    public async Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case CreateVolume m: await WhileWorkingOnAsync(m.VolumeUuid, () => CreateVolumeAsync(m.VolumeUuid, cancellationToken)).ConfigureAwait(false); return null;
            case DeleteVolume m: await WhileWorkingOnAsync(m.VolumeUuid, () => DeleteVolumeAsync(m.VolumeUuid, cancellationToken)).ConfigureAwait(false); return null;
            case ExtendVolume m: await WhileWorkingOnAsync(m.VolumeUuid, () => ExtendVolumeAsync(m.VolumeUuid, cancellationToken)).ConfigureAwait(false); return null;
            case CreateSnapshot m: await WhileWorkingOnAsync(m.SnapshotUuid, () => CreateSnapshotAsync(m.SnapshotUuid, cancellationToken)).ConfigureAwait(false); return null;
            case DeleteSnapshot m: await WhileWorkingOnAsync(m.SnapshotUuid, () => DeleteSnapshotAsync(m.SnapshotUuid, cancellationToken)).ConfigureAwait(false); return null;
            case InitializeConnection m: return await InitializeConnectionAsync(m.VolumeUuid, m.ConnectorHost, cancellationToken).ConfigureAwait(false);
            case TerminateConnection m: LogTerminated(m.VolumeUuid, m.ConnectorHost); return null;
            default: throw new UnknownRpcMethodException(message);
        }
    }

    /// <summary>Checks the backing store and tgtd, makes this host's target numbers exist and rebuilds its exports.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await driver.CheckSetupAsync(cancellationToken).ConfigureAwait(false);
            await target.CheckSetupAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A CloudException is what cloudd prints as one line and exits 1 for: the operator must fix the host.
            throw CloudException.Conflict($"the volume role cannot start on {Host}: {e.Message}");
        }
        await targets.EnsureTargetsAsync(Host, flags.Value.IscsiNumTargets, cancellationToken).ConfigureAwait(false);
        LogExportsRebuilt(await exports.RebuildAsync(cancellationToken).ConfigureAwait(false), Host);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The backing store's capacity, with each heartbeat.</summary>
    public async Task ReportStateAsync(CancellationToken cancellationToken)
    {
        var capacity = await driver.GetCapacityAsync(cancellationToken).ConfigureAwait(false);
        await hostStore.ReportAsync(Host, capacity.TotalGb, capacity.FreeGb, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the transitional states nobody finished within <c>--volume_state_timeout</c>.</summary>
    public async Task RunPeriodicTasksAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(flags.Value.VolumeStateTimeout);
        var stuck = await volumes.StuckAsync([VolumeStatuses.Creating, VolumeStatuses.Deleting, VolumeStatuses.Extending], before, cancellationToken).ConfigureAwait(false);
        foreach (var row in stuck.Where(r => (r.Host == Host || r.Host is null) && !_inFlight.ContainsKey(r.Uuid)))
        {
            await WhileWorkingOnAsync(row.Uuid, () => EndStuckAsync(row, cancellationToken)).ConfigureAwait(false);
        }
        var stuckSnapshots = await snapshots.StuckAsync([SnapshotStatuses.Creating, SnapshotStatuses.Deleting], before, cancellationToken).ConfigureAwait(false);
        foreach (var snapshot in stuckSnapshots.Where(s => s.Host == Host && !_inFlight.ContainsKey(s.Uuid)))
        {
            await WhileWorkingOnAsync(snapshot.Uuid, () => snapshot.Status == SnapshotStatuses.Deleting
                ? DeleteSnapshotAsync(snapshot.Uuid, cancellationToken)
                : FailSnapshotAsync(snapshot, Stuck(snapshot.Status), cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>creating → available: target number, backing store, CHAP account, export. Any failure: error, and all of it undone.</summary>
    public async Task CreateVolumeAsync(string volumeUuid, CancellationToken cancellationToken)
    {
        var row = await volumes.ByUuidAsync(volumeUuid, cancellationToken).ConfigureAwait(false);
        if (row is null || row.Status != VolumeStatuses.Creating || row.Host != Host)
        {
            return;
        }
        try
        {
            var tid = await targets.AllocateAsync(Host, row.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"no free iSCSI target on {Host} (--iscsi_num_targets={flags.Value.IscsiNumTargets})");
            var path = await CreateBackingAsync(row, cancellationToken).ConfigureAwait(false);
            var chap = ChapCredentials.New();
            var export = new IscsiExport(tid, names.Iqn(row.Id), path, chap.User, chap.Secret);
            await target.EnsureExportAsync(export, cancellationToken).ConfigureAwait(false);
            if (!await volumes.CreatedAsync(row.Uuid, path, chap.ProviderAuth, cancellationToken).ConfigureAwait(false))
            {
                // Deleted (manage volume delete) while it was being made: nothing of it may stay.
                await UndoCreateAsync(row, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            LogCreated(row.Uuid, names.Volume(row.Id), row.SizeGb, tid);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCreateFailed(e, row.Uuid);
            await UndoCreateAsync(row, CancellationToken.None).ConfigureAwait(false);
            await volumes.FailAsync(row.Uuid, Creating, VolumeStatuses.Error, $"Volume creation failed on {Host}: {e.Message}", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>deleting → gone: export removed, backing store wiped and removed, target freed, row deleted; on failure error_deleting.</summary>
    public async Task DeleteVolumeAsync(string volumeUuid, CancellationToken cancellationToken)
    {
        var row = await volumes.ByUuidAsync(volumeUuid, cancellationToken).ConfigureAwait(false);
        if (row is null || row.Status != VolumeStatuses.Deleting || row.Host != Host)
        {
            return;
        }
        try
        {
            if (await targets.OfVolumeAsync(row.Id, cancellationToken).ConfigureAwait(false) is { } tid)
            {
                await target.RemoveExportAsync(tid, names.Iqn(row.Id), cancellationToken).ConfigureAwait(false);
            }
            await driver.DeleteVolumeAsync(names.Volume(row.Id), cancellationToken).ConfigureAwait(false);
            await targets.ReleaseAsync(row.Id, cancellationToken).ConfigureAwait(false);
            await volumes.DeleteAsync(row.Id, cancellationToken).ConfigureAwait(false);
            LogDeleted(row.Uuid, names.Volume(row.Id));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDeleteFailed(e, row.Uuid);
            await volumes.FailAsync(row.Uuid, Deleting, VolumeStatuses.ErrorDeleting, $"Volume deletion failed on {Host}: {e.Message}", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>extending → available at the new size (the export sees it); on failure error_extending, the old size kept.</summary>
    public async Task ExtendVolumeAsync(string volumeUuid, CancellationToken cancellationToken)
    {
        var row = await volumes.ByUuidAsync(volumeUuid, cancellationToken).ConfigureAwait(false);
        if (row is not { Status: VolumeStatuses.Extending, ExtendingToGb: { } newSize } || row.Host != Host)
        {
            return;
        }
        try
        {
            await driver.ExtendVolumeAsync(names.Volume(row.Id), newSize, cancellationToken).ConfigureAwait(false);
            if (await targets.OfVolumeAsync(row.Id, cancellationToken).ConfigureAwait(false) is { } tid && exports.ExportOf(row, tid) is { } export)
            {
                await target.RefreshSizeAsync(export, cancellationToken).ConfigureAwait(false);
            }
            await volumes.ExtendedAsync(row.Uuid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await volumes.FailAsync(row.Uuid, Extending, VolumeStatuses.ErrorExtending, $"Volume extend failed on {Host}: {e.Message}", CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task CreateSnapshotAsync(string snapshotUuid, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.ByUuidAsync(snapshotUuid, cancellationToken).ConfigureAwait(false);
        if (snapshot is null || snapshot.Status != SnapshotStatuses.Creating || snapshot.Host != Host)
        {
            return;
        }
        try
        {
            await driver.CreateSnapshotAsync(names.Volume(snapshot.VolumeId), names.Snapshot(snapshot.Id), cancellationToken).ConfigureAwait(false);
            await snapshots.CreatedAsync(snapshot.Uuid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await FailSnapshotAsync(snapshot, $"Snapshot creation failed on {Host}: {e.Message}", CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task DeleteSnapshotAsync(string snapshotUuid, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.ByUuidAsync(snapshotUuid, cancellationToken).ConfigureAwait(false);
        if (snapshot is null || snapshot.Status != SnapshotStatuses.Deleting || snapshot.Host != Host)
        {
            return;
        }
        try
        {
            await driver.DeleteSnapshotAsync(names.Snapshot(snapshot.Id), cancellationToken).ConfigureAwait(false);
            await snapshots.DeleteAsync(snapshot.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await snapshots.FailAsync(snapshot.Uuid, SnapshotDeleting, SnapshotStatuses.ErrorDeleting, $"Snapshot deletion failed on {Host}: {e.Message}", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Ensures the export (tgtd may have restarted) and says how to reach it.</summary>
    public async Task<VolumeConnection> InitializeConnectionAsync(string volumeUuid, string connectorHost, CancellationToken cancellationToken)
    {
        var row = await volumes.ByUuidAsync(volumeUuid, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Volume {volumeUuid} could not be found.");
        var export = await exports.EnsureAsync(row, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.Invalid($"Invalid volume: Volume {volumeUuid} has no export on {Host} (status: {row.Status}).");
        LogConnection(volumeUuid, connectorHost, export.Iqn);
        return new VolumeConnection(row.Uuid, exports.Portal(), export.Iqn, 1, "CHAP", export.ChapUser, export.ChapPassword);
    }

    private async Task<string> CreateBackingAsync(VolumeRow row, CancellationToken cancellationToken)
    {
        var name = names.Volume(row.Id);
        if (row.SnapshotUuid is { } snapshotUuid)
        {
            var snapshot = await snapshots.ByUuidAsync(snapshotUuid, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"snapshot {snapshotUuid} no longer exists");
            return await driver.CreateVolumeFromSnapshotAsync(name, row.SizeGb, names.Snapshot(snapshot.Id), cancellationToken).ConfigureAwait(false);
        }
        if (row.SourceVolumeUuid is { } sourceUuid)
        {
            var source = await volumes.ByUuidAsync(sourceUuid, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"source volume {sourceUuid} no longer exists");
            return await driver.CloneVolumeAsync(name, row.SizeGb, names.Volume(source.Id), cancellationToken).ConfigureAwait(false);
        }
        return await driver.CreateVolumeAsync(name, row.SizeGb, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes whatever a failed or abandoned create made: the export, the backing store, the target number. Each step runs even when one before failed.</summary>
    private async Task UndoCreateAsync(VolumeRow row, CancellationToken cancellationToken)
    {
        if (await targets.OfVolumeAsync(row.Id, cancellationToken).ConfigureAwait(false) is { } tid)
        {
            await BestEffortAsync(row, "remove its export", () => target.RemoveExportAsync(tid, names.Iqn(row.Id), cancellationToken)).ConfigureAwait(false);
        }
        await BestEffortAsync(row, "remove its backing store", () => driver.DeleteVolumeAsync(names.Volume(row.Id), cancellationToken)).ConfigureAwait(false);
        await targets.ReleaseAsync(row.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task BestEffortAsync(VolumeRow row, string what, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogUndoFailed(e, row.Uuid, what);
        }
    }

    private async Task EndStuckAsync(VolumeRow row, CancellationToken cancellationToken)
    {
        switch (row.Status)
        {
            case VolumeStatuses.Deleting:
                await DeleteVolumeAsync(row.Uuid, cancellationToken).ConfigureAwait(false);
                break;
            case VolumeStatuses.Creating:
                if (row.Host is not null)
                {
                    await UndoCreateAsync(row, cancellationToken).ConfigureAwait(false);
                }
                await volumes.FailAsync(row.Uuid, Creating, VolumeStatuses.Error, Stuck(row.Status), cancellationToken).ConfigureAwait(false);
                break;
            case VolumeStatuses.Extending:
                await volumes.FailAsync(row.Uuid, Extending, VolumeStatuses.ErrorExtending, Stuck(row.Status), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task FailSnapshotAsync(SnapshotInfo snapshot, string reason, CancellationToken cancellationToken)
    {
        await BestEffortAsync(new VolumeRow { Uuid = snapshot.Uuid }, "remove the snapshot", () => driver.DeleteSnapshotAsync(names.Snapshot(snapshot.Id), cancellationToken)).ConfigureAwait(false);
        await snapshots.FailAsync(snapshot.Uuid, SnapshotCreating, SnapshotStatuses.Error, reason, cancellationToken).ConfigureAwait(false);
    }

    private string Stuck(string status) => $"Still {status} after {flags.Value.VolumeStateTimeout} s (--volume_state_timeout); the volume host {Host} ended it.";

    private async Task WhileWorkingOnAsync(string uuid, Func<Task> work)
    {
        _inFlight[uuid] = 0;
        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            _inFlight.TryRemove(uuid, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "rebuilt {Count} iSCSI export(s) of volume host {Host}")]
    private partial void LogExportsRebuilt(int count, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Volume} created as {Name} ({SizeGb} GiB), exported as target {Tid}")]
    private partial void LogCreated(string volume, string name, long sizeGb, int tid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "creating volume {Volume} failed; what was made is removed")]
    private partial void LogCreateFailed(Exception error, string volume);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Volume} ({Name}) deleted")]
    private partial void LogDeleted(string volume, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deleting volume {Volume} failed")]
    private partial void LogDeleteFailed(Exception error, string volume);

    [LoggerMessage(Level = LogLevel.Warning, Message = "undoing volume {Volume}: could not {What}")]
    private partial void LogUndoFailed(Exception error, string volume, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Volume} connection for {Connector}: target {Iqn}")]
    private partial void LogConnection(string volume, string connector, string iqn);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Volume}: {Connector} terminated its connection")]
    private partial void LogTerminated(string volume, string connector);
}
