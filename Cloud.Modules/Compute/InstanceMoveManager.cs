using Cloud.Modules.Compute.Db;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Firewall;
using Cloud.Modules.Glance;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Network;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute;

/// <summary>
/// The compute host's side of rebuild, resize, snapshot and shelve (nova's compute manager methods of the same names);
/// <see cref="ComputeManager"/> hands it every <see cref="IInstanceMoveMessage"/>. Each message checks the task or
/// migration status it expects before acting, so a redelivered one does nothing. A failure puts the instance in ERROR
/// with the fault (a snapshot's failure only ends its task and deletes the image, as nova does).
/// </summary>
public sealed partial class InstanceMoveManager(
    IComputeDriver driver,
    InstanceStore store,
    InstanceMoveStore moves,
    MigrationStore migrations,
    ComputeRpcClient compute,
    ImageApi images,
    InstanceActionsApi actions,
    IOptions<CommonFlags> common,
    IOptions<InstanceMoveFlags> flags,
    TimeProvider clock,
    ILogger<InstanceMoveManager> log,
    InstanceNetworkingApi? networking = null,
    FirewallManager? firewall = null)
{
    private string Host => common.Value.Host;

    public async Task DispatchAsync(RequestContext context, IInstanceMoveMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var instance = await store.FindAsync(message.InstanceUuid, cancellationToken).ConfigureAwait(false);
        if (instance is null || instance.Deleted)
        {
            return;
        }
        var (eventName, work) = message switch
        {
            RebuildInstance m => ("compute_rebuild_instance", (Func<Task>)(() => RebuildAsync(instance, m, cancellationToken))),
            ResizeInstance m => ("compute_resize_instance", () => ResizeAsync(context, instance, m.MigrationUuid, cancellationToken)),
            FinishResize m => ("compute_finish_resize", () => FinishResizeAsync(instance, m.MigrationUuid, cancellationToken)),
            ConfirmResize m => ("compute_confirm_resize", () => ConfirmResizeAsync(instance, m.MigrationUuid, cancellationToken)),
            RevertResize m => ("compute_revert_resize", () => RevertResizeAsync(context, instance, m.MigrationUuid, cancellationToken)),
            FinishRevertResize m => ("compute_finish_revert_resize", () => FinishRevertResizeAsync(instance, m.MigrationUuid, cancellationToken)),
            SnapshotInstance m => ("compute_snapshot_instance", () => SnapshotAsync(context, instance, m.ImageId, cancellationToken)),
            ShelveInstance m => ("compute_shelve_instance", () => ShelveAsync(context, instance, m, cancellationToken)),
            ShelveOffloadInstance => ("compute_shelve_offload_instance", () => OffloadAsync(instance, TaskStates.ShelvingOffloading, cancellationToken)),
            UnshelveInstance => ("compute_unshelve_instance", () => UnshelveAsync(context, instance, cancellationToken)),
            _ => throw new UnknownRpcMethodException(message),
        };
        try
        {
            await actions.RunEventAsync(context, instance.Uuid, eventName, Host, work, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, eventName, instance.Uuid);
            // A failed snapshot leaves the instance as it was (its task ended, its image deleted); every other step is a fault.
            if (message is not SnapshotInstance)
            {
                await store.SetFaultAsync([instance.Uuid], e.Message, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Auto-confirms resizes waiting longer than --resize_confirm_window, and offloads instances shelved longer than --shelved_offload_time.</summary>
    public async Task RunPeriodicTasksAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (flags.Value.ResizeConfirmWindow > 0)
        {
            foreach (var migration in await migrations.FinishedOnSourceBeforeAsync(Host, now.AddSeconds(-flags.Value.ResizeConfirmWindow), cancellationToken).ConfigureAwait(false))
            {
                if (await migrations.MoveStatusAsync(migration.Uuid, MigrationStatuses.Confirming, [MigrationStatuses.Finished], cancellationToken).ConfigureAwait(false)
                    && await store.FindAsync(migration.InstanceUuid, cancellationToken).ConfigureAwait(false) is { Deleted: false } instance)
                {
                    LogAutoConfirm(instance.Uuid, flags.Value.ResizeConfirmWindow);
                    await DispatchAsync(RequestContext.Service(), new ConfirmResize(instance.Uuid, migration.Uuid), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        if (flags.Value.ShelvedOffloadTime > 0)
        {
            foreach (var uuid in await moves.ShelvedOnHostBeforeAsync(Host, now.AddSeconds(-flags.Value.ShelvedOffloadTime), cancellationToken).ConfigureAwait(false))
            {
                if (await store.BeginTaskAsync(uuid, TaskStates.ShelvingOffloading, [VmStates.Shelved], cancellationToken).ConfigureAwait(false))
                {
                    await DispatchAsync(RequestContext.Service(), new ShelveOffloadInstance(uuid), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The guest and its disk made anew from the image the row now names; a stopped instance stays stopped.</summary>
    private async Task RebuildAsync(Instance instance, RebuildInstance message, CancellationToken cancellationToken)
    {
        if (instance.Host != Host || instance.TaskState != TaskStates.Rebuilding)
        {
            return;
        }
        await store.SetTaskStateAsync(instance.Uuid, TaskStates.RebuildSpawning, cancellationToken).ConfigureAwait(false);
        await driver.DestroyAsync(instance.Name, cancellationToken).ConfigureAwait(false);
        await SpawnAsync(instance, message.ImageRef, cancellationToken).ConfigureAwait(false);
        await store.SetLaunchedAsync(instance.Uuid, await PowerOfAsync(instance, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (instance.VmState == VmStates.Stopped)
        {
            await driver.PowerOffAsync(instance.Name, cancellationToken).ConfigureAwait(false);
            await store.SetStatesAsync(instance.Uuid, VmStates.Stopped, null, await PowerOfAsync(instance, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        LogDone("rebuild", instance.Uuid);
    }

    /// <summary>On the source: power off, set the disk aside, and let the destination finish.</summary>
    private async Task ResizeAsync(RequestContext context, Instance instance, string migrationUuid, CancellationToken cancellationToken)
    {
        var migration = await migrations.FindAsync(migrationUuid, cancellationToken).ConfigureAwait(false);
        if (migration?.DestCompute is not { } dest || migration.SourceCompute != Host
            || !await migrations.MoveStatusAsync(migrationUuid, MigrationStatuses.Migrating, [MigrationStatuses.PreMigrating], cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        try
        {
            await store.SetTaskStateAsync(instance.Uuid, TaskStates.ResizeMigrating, cancellationToken).ConfigureAwait(false);
            await driver.MigrateDiskAndPowerOffAsync(instance.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await FailMigrationAsync(migration, dest, FlavorResources.NewOf(migration)).ConfigureAwait(false);
            throw;
        }
        await migrations.MoveStatusAsync(migrationUuid, MigrationStatuses.PostMigrating, [MigrationStatuses.Migrating], cancellationToken).ConfigureAwait(false);
        await store.SetTaskStateAsync(instance.Uuid, TaskStates.ResizeMigrated, cancellationToken).ConfigureAwait(false);
        await compute.CastMoveAsync(context, dest, new FinishResize(instance.Uuid, migrationUuid), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>On the destination: the guest with the new flavor; the instance is here now, resized (VERIFY_RESIZE).</summary>
    private async Task FinishResizeAsync(Instance instance, string migrationUuid, CancellationToken cancellationToken)
    {
        var migration = await migrations.FindAsync(migrationUuid, cancellationToken).ConfigureAwait(false);
        if (migration is null || migration.DestCompute != Host || migration.Status != MigrationStatuses.PostMigrating)
        {
            return;
        }
        await store.SetTaskStateAsync(instance.Uuid, TaskStates.ResizeFinish, cancellationToken).ConfigureAwait(false);
        var resized = FlavorResources.NewOf(migration);
        try
        {
            var spec = await SpecAsync(instance, instance.ImageRef, cancellationToken).ConfigureAwait(false)
                with { MemoryMb = resized.MemoryMb, Vcpus = resized.Vcpus, RootGb = resized.RootGb };
            if (!migration.SameHost && firewall is not null && spec.Network is not null)
            {
                await firewall.SetUpAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
            }
            await driver.FinishMigrationAsync(spec, migration.OldVmState != VmStates.Stopped, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await FailMigrationAsync(migration, Host, resized).ConfigureAwait(false);
            throw;
        }
        await moves.SetFlavorAsync(instance.Uuid, Host, resized, VmStates.Resized, null, await PowerOfAsync(instance, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await migrations.MoveStatusAsync(migrationUuid, MigrationStatuses.Finished, [MigrationStatuses.PostMigrating], cancellationToken).ConfigureAwait(false);
        LogDone("resize", instance.Uuid);
    }

    /// <summary>On the source: what was set aside goes, and the old flavor's claim with it; the instance is active (or stopped) again.</summary>
    private async Task ConfirmResizeAsync(Instance instance, string migrationUuid, CancellationToken cancellationToken)
    {
        var migration = await migrations.FindAsync(migrationUuid, cancellationToken).ConfigureAwait(false);
        if (migration is null || migration.SourceCompute != Host || migration.Status != MigrationStatuses.Confirming)
        {
            return;
        }
        await driver.ConfirmMigrationAsync(instance.Name, cancellationToken).ConfigureAwait(false);
        if (!migration.SameHost)
        {
            await RemoveFirewallAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        }
        var old = FlavorResources.OldOf(migration);
        await migrations.ReleaseAsync(Host, old.MemoryMb, old.Vcpus, old.RootGb, cancellationToken).ConfigureAwait(false);
        await store.SetStatesAsync(instance.Uuid, migration.OldVmState, null, instance.PowerState, cancellationToken).ConfigureAwait(false);
        await migrations.MoveStatusAsync(migrationUuid, MigrationStatuses.Confirmed, [MigrationStatuses.Confirming], cancellationToken).ConfigureAwait(false);
        LogDone("confirm resize", instance.Uuid);
    }

    /// <summary>On the destination: a guest on another host than the source goes, the new flavor's claim too; then the source takes over.</summary>
    private async Task RevertResizeAsync(RequestContext context, Instance instance, string migrationUuid, CancellationToken cancellationToken)
    {
        var migration = await migrations.FindAsync(migrationUuid, cancellationToken).ConfigureAwait(false);
        if (migration is null || migration.DestCompute != Host || migration.Status != MigrationStatuses.Reverting || instance.TaskState != TaskStates.ResizeReverting)
        {
            return;
        }
        if (!migration.SameHost)
        {
            await driver.DestroyAsync(instance.Name, cancellationToken).ConfigureAwait(false);
            await RemoveFirewallAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        }
        var resized = FlavorResources.NewOf(migration);
        await migrations.ReleaseAsync(Host, resized.MemoryMb, resized.Vcpus, resized.RootGb, cancellationToken).ConfigureAwait(false);
        await compute.CastMoveAsync(context, migration.SourceCompute, new FinishRevertResize(instance.Uuid, migrationUuid), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>On the source: the guest set aside comes back with the old flavor.</summary>
    private async Task FinishRevertResizeAsync(Instance instance, string migrationUuid, CancellationToken cancellationToken)
    {
        var migration = await migrations.FindAsync(migrationUuid, cancellationToken).ConfigureAwait(false);
        if (migration is null || migration.SourceCompute != Host || migration.Status != MigrationStatuses.Reverting)
        {
            return;
        }
        await driver.FinishRevertMigrationAsync(instance.Name, migration.OldVmState != VmStates.Stopped, cancellationToken).ConfigureAwait(false);
        if (!migration.SameHost && firewall is not null)
        {
            await firewall.SetUpAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        }
        var power = await PowerOfAsync(instance, cancellationToken).ConfigureAwait(false);
        await moves.SetFlavorAsync(instance.Uuid, Host, FlavorResources.OldOf(migration), migration.OldVmState, null, power, cancellationToken).ConfigureAwait(false);
        await migrations.MoveStatusAsync(migrationUuid, MigrationStatuses.Reverted, [MigrationStatuses.Reverting], cancellationToken).ConfigureAwait(false);
        LogDone("revert resize", instance.Uuid);
    }

    /// <summary>createImage: uploads the disk as it stands; a failure ends the task and deletes the image, the instance unharmed.</summary>
    private async Task SnapshotAsync(RequestContext context, Instance instance, string imageId, CancellationToken cancellationToken)
    {
        if (instance.Host != Host || instance.TaskState != TaskStates.ImageSnapshot)
        {
            return;
        }
        try
        {
            await UploadSnapshotAsync(context, instance, imageId, TaskStates.ImageUploading, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await DeleteImageAsync(context, imageId).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await store.SetTaskStateAsync(instance.Uuid, null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Shelve: snapshot, power off, remember the snapshot; offload at once when asked.</summary>
    private async Task ShelveAsync(RequestContext context, Instance instance, ShelveInstance message, CancellationToken cancellationToken)
    {
        if (instance.Host != Host || instance.TaskState != TaskStates.Shelving)
        {
            return;
        }
        await UploadSnapshotAsync(context, instance, message.ImageId, TaskStates.ShelvingImageUploading, cancellationToken).ConfigureAwait(false);
        await driver.PowerOffAsync(instance.Name, cancellationToken).ConfigureAwait(false);
        await moves.SetShelvedAsync(instance.Uuid, message.ImageId, cancellationToken).ConfigureAwait(false);
        var next = message.Offload ? TaskStates.ShelvingOffloading : null;
        await store.SetStatesAsync(instance.Uuid, VmStates.Shelved, next, await PowerOfAsync(instance, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (message.Offload)
        {
            await OffloadAsync(instance, TaskStates.ShelvingOffloading, cancellationToken).ConfigureAwait(false);
        }
        LogDone("shelve", instance.Uuid);
    }

    /// <summary>The guest goes and the host's claim with it; the fixed IP stays the instance's for its unshelve.</summary>
    private async Task OffloadAsync(Instance instance, string expectedTask, CancellationToken cancellationToken)
    {
        var current = await store.FindAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        if (current is null || current.Host != Host || current.TaskState != expectedTask)
        {
            return;
        }
        await driver.DestroyAsync(instance.Name, cancellationToken).ConfigureAwait(false);
        await RemoveFirewallAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        await moves.OffloadAsync(current, cancellationToken).ConfigureAwait(false);
        LogDone("shelve offload", instance.Uuid);
    }

    /// <summary>A shelved guest is powered on; an offloaded one is spawned here from its snapshot. The snapshot is deleted after.</summary>
    private async Task UnshelveAsync(RequestContext context, Instance instance, CancellationToken cancellationToken)
    {
        if (instance.Host != Host || instance.TaskState != TaskStates.Unshelving)
        {
            return;
        }
        var imageId = await moves.ShelvedImageAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        if (instance.VmState == VmStates.ShelvedOffloaded)
        {
            await store.SetTaskStateAsync(instance.Uuid, TaskStates.Spawning, cancellationToken).ConfigureAwait(false);
            await SpawnAsync(instance, imageId ?? instance.ImageRef, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await driver.PowerOnAsync(instance.Name, cancellationToken).ConfigureAwait(false);
        }
        await store.SetStatesAsync(instance.Uuid, VmStates.Active, null, await PowerOfAsync(instance, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await moves.ClearShelvedAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        if (imageId is not null)
        {
            await DeleteImageAsync(context, imageId).ConfigureAwait(false);
        }
        LogDone("unshelve", instance.Uuid);
    }

    /// <summary>The guest's disk into the queued image <paramref name="imageId"/>, through a file beside the instances.</summary>
    private async Task UploadSnapshotAsync(RequestContext context, Instance instance, string imageId, string uploadingTask, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cloudd-snapshot-{imageId}");
        try
        {
            await driver.SnapshotAsync(instance.Name, file, cancellationToken).ConfigureAwait(false);
            await store.SetTaskStateAsync(instance.Uuid, uploadingTask, cancellationToken).ConfigureAwait(false);
            var data = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await using (data.ConfigureAwait(false))
            {
                await images.UploadAsync(context, imageId, data, data.Length, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Spawns the instance's guest from <paramref name="imageRef"/> with its NIC and firewall in place.</summary>
    private async Task SpawnAsync(Instance instance, string imageRef, CancellationToken cancellationToken)
    {
        var spec = await SpecAsync(instance, imageRef, cancellationToken).ConfigureAwait(false);
        if (firewall is not null && spec.Network is not null)
        {
            await firewall.SetUpAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        }
        await driver.SpawnAsync(spec, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The instance's spec with its NIC (the network role hands back the fixed IP it already holds).</summary>
    private async Task<InstanceSpec> SpecAsync(Instance instance, string imageRef, CancellationToken cancellationToken)
    {
        var nic = networking is null || instance.NoNetwork ? null : await networking.PlugAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
        return InstanceSpecs.Of(instance, nic, networking?.InjectsNetwork == true) with { ImageRef = imageRef };
    }

    private async Task<PowerState> PowerOfAsync(Instance instance, CancellationToken cancellationToken) =>
        (await driver.GetInfoAsync(instance.Name, cancellationToken).ConfigureAwait(false))?.State ?? PowerState.NoState;

    /// <summary>A failed resize step: the migration is in error and the destination's claim is given back.</summary>
    private async Task FailMigrationAsync(Migration migration, string dest, FlavorResources claimed)
    {
        await migrations.MoveStatusAsync(migration.Uuid, MigrationStatuses.Error, [MigrationStatuses.Migrating, MigrationStatuses.PostMigrating], CancellationToken.None).ConfigureAwait(false);
        await migrations.ReleaseAsync(dest, claimed.MemoryMb, claimed.Vcpus, claimed.RootGb, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RemoveFirewallAsync(string uuid, CancellationToken cancellationToken)
    {
        try
        {
            await (firewall?.RemoveAsync(uuid, cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The next role start removes chains of instances no longer here.
            LogFailed(e, "firewall removal", uuid);
        }
    }

    private async Task DeleteImageAsync(RequestContext context, string imageId)
    {
        try
        {
            await images.DeleteAsync(context, imageId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CloudException or IOException)
        {
            LogImageLeft(e, imageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} of instance {Uuid} done")]
    private partial void LogDone(string action, string uuid);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Action} of instance {Uuid} failed")]
    private partial void LogFailed(Exception error, string action, string uuid);

    [LoggerMessage(Level = LogLevel.Information, Message = "resize of instance {Uuid} waited more than {Window} s: confirming it")]
    private partial void LogAutoConfirm(string uuid, int window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "image {ImageId} could not be deleted; an operator may delete it")]
    private partial void LogImageLeft(Exception error, string imageId);
}
