using Cloud.Modules.Compute.Db;
using Cloud.Modules.Glance;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute;

/// <summary>
/// Rebuild, resize (confirm, revert), createImage and shelve (offload, unshelve) in-process (nova's compute.API methods):
/// checks the lock and the instance's states with nova's 409 messages, writes the database, registers snapshot images in
/// Glance, asks the scheduler for a destination (a call, claimed before it answers) and casts to the hosts. The instance
/// is one the caller may see (the route found it).
/// </summary>
public sealed class InstanceMoveApi(
    InstanceStore store,
    InstanceMoveStore moves,
    InstanceMetadataStore metadata,
    MigrationStore migrations,
    FlavorApi flavors,
    KeyPairApi keyPairs,
    ImageApi images,
    ComputeRpcClient compute,
    InstanceTasks tasks,
    InstanceActionsApi actions,
    IMoveScheduler scheduler,
    SnapshotImages snapshots,
    IOptions<InstanceMoveFlags> flags)
{
    private static readonly string[] RebuildStates = [VmStates.Active, VmStates.Stopped, VmStates.Error];

    private static readonly string[] SnapshotStates = [VmStates.Active, VmStates.Stopped, VmStates.Paused, VmStates.Suspended];

    /// <summary>Rebuilds from another (or the same) image, replacing what the request names; the host makes the guest anew.</summary>
    public async Task RebuildAsync(RequestContext context, Instance instance, RebuildRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(request);
        InstanceStateCheck.Check(context, instance, "rebuild", RebuildStates, InstanceStateCheck.NoTask);
        await RequireImageAsync(context, request.ImageRef, "Cannot find image for rebuild", cancellationToken).ConfigureAwait(false);
        var keyData = request.KeyNameGiven ? await KeyDataAsync(context, request.KeyName, cancellationToken).ConfigureAwait(false) : instance.KeyData;
        if (string.IsNullOrEmpty(instance.ImageRef))
        {
            throw CloudException.Invalid($"Image {request.ImageRef} is unacceptable: Unable to rebuild with a different image for a volume-backed server.");
        }
        await BeginAsync(context, instance, "rebuild", TaskStates.Rebuilding, RebuildStates, cancellationToken).ConfigureAwait(false);
        if (request.Name is not null || request.DescriptionGiven)
        {
            await metadata.UpdateAsync(instance.Uuid, new ServerUpdate { Name = request.Name, SetDescription = request.DescriptionGiven, Description = request.Description },
                cancellationToken).ConfigureAwait(false);
        }
        if (request.Metadata is { } items)
        {
            await metadata.SetAsync(instance.Uuid, items, replace: true, cancellationToken).ConfigureAwait(false);
        }
        await moves.SetImageAsync(instance.Uuid, request.ImageRef, request.KeyNameGiven ? request.KeyName : instance.KeyName, keyData,
            request.UserDataGiven ? request.UserData : instance.UserData, cancellationToken).ConfigureAwait(false);
        await compute.CastMoveAsync(context, instance.Host!, new RebuildInstance(instance.Uuid, request.ImageRef, request.PreserveEphemeral), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resizes to <paramref name="flavorRef"/>: the scheduler picks and claims a host (not this one unless
    /// --allow_resize_to_same_host), then the source host moves it there; it ends in VERIFY_RESIZE. When no host fits, the
    /// instance keeps its state and flavor and the migration is in error (nova's asynchronous NoValidHost).
    /// </summary>
    public async Task ResizeAsync(RequestContext context, Instance instance, string flavorRef, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        InstanceStateCheck.Check(context, instance, "resize", [VmStates.Active, VmStates.Stopped], InstanceStateCheck.NoTask);
        if (instance.Host is null)
        {
            // An admin's os-resetState can make a shelved-offloaded instance "active" without a host: there is nothing to move from.
            throw CloudException.Conflict($"Cannot 'resize' instance {instance.Uuid} while it has no host.");
        }
        var flavor = await flavors.FindAsync(flavorRef, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.Invalid($"Flavor {flavorRef} could not be found.");
        if (flavor.Id == instance.InstanceTypeId)
        {
            throw CloudException.Invalid("When resizing, instances must change flavor!");
        }
        if (flavor.RootGb == 0 && instance.RootGb != 0 && !string.IsNullOrEmpty(instance.ImageRef))
        {
            throw CloudException.Invalid("Server disk was unable to be resized because: Resize to zero disk flavor is not allowed.");
        }
        await BeginAsync(context, instance, "resize", TaskStates.ResizePrep, [VmStates.Active, VmStates.Stopped], cancellationToken).ConfigureAwait(false);
        var migration = await migrations.InsertAsync(new Migration
        {
            Uuid = Guid.NewGuid().ToString(), InstanceUuid = instance.Uuid, ProjectId = instance.ProjectId, UserId = context.UserId ?? instance.UserId,
            SourceCompute = instance.Host!, OldInstanceTypeId = instance.InstanceTypeId, NewInstanceTypeId = flavor.Id, OldMemoryMb = instance.MemoryMb,
            OldVcpus = instance.Vcpus, OldRootGb = instance.RootGb, NewMemoryMb = flavor.MemoryMb, NewVcpus = flavor.Vcpus, NewRootGb = flavor.RootGb,
            OldVmState = instance.VmState, MigrationType = "resize",
        }, cancellationToken).ConfigureAwait(false);
        string? dest;
        try
        {
            dest = await scheduler.SelectDestinationAsync(context, new SelectDestination(
                instance.Uuid, flavor.MemoryMb, flavor.Vcpus, flavor.RootGb, instance.AvailabilityZone,
                flags.Value.AllowResizeToSameHost ? null : instance.Host), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await AbandonAsync(instance, migration).ConfigureAwait(false);
            throw;
        }
        if (dest is null)
        {
            await AbandonAsync(instance, migration).ConfigureAwait(false);
            return;
        }
        await migrations.SetDestAsync(migration.Uuid, dest, cancellationToken).ConfigureAwait(false);
        await compute.CastMoveAsync(context, instance.Host!, new ResizeInstance(instance.Uuid, migration.Uuid), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Confirms a resize waiting in VERIFY_RESIZE: its source host lets go of the old guest and flavor.</summary>
    public async Task ConfirmResizeAsync(RequestContext context, Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        InstanceStateCheck.Check(context, instance, "confirmResize", [VmStates.Resized], InstanceStateCheck.NoTask);
        var migration = await FinishedMigrationAsync(instance, cancellationToken).ConfigureAwait(false);
        if (!await migrations.MoveStatusAsync(migration.Uuid, MigrationStatuses.Confirming, [MigrationStatuses.Finished], cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Invalid("Instance has not been resized.");
        }
        await actions.StartAsync(context, instance.Uuid, "confirmResize", cancellationToken).ConfigureAwait(false);
        await compute.CastMoveAsync(context, migration.SourceCompute, new ConfirmResize(instance.Uuid, migration.Uuid), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reverts a resize waiting in VERIFY_RESIZE: back to the source host and the old flavor.</summary>
    public async Task RevertResizeAsync(RequestContext context, Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        InstanceStateCheck.Check(context, instance, "revertResize", [VmStates.Resized], InstanceStateCheck.NoTask);
        var migration = await FinishedMigrationAsync(instance, cancellationToken).ConfigureAwait(false);
        await BeginAsync(context, instance, "revertResize", TaskStates.ResizeReverting, [VmStates.Resized], cancellationToken).ConfigureAwait(false);
        await migrations.MoveStatusAsync(migration.Uuid, MigrationStatuses.Reverting, [MigrationStatuses.Finished], cancellationToken).ConfigureAwait(false);
        await compute.CastMoveAsync(context, migration.DestCompute!, new RevertResize(instance.Uuid, migration.Uuid), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>createImage: registers a queued snapshot image in Glance and has the host upload the disk into it; returns its id.</summary>
    public async Task<string> CreateImageAsync(RequestContext context, Instance instance, string name, IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(properties);
        InstanceStateCheck.Check(context, instance, "createImage", SnapshotStates, InstanceStateCheck.NoTask, checkLock: false);
        RequireImageBacked(instance);
        var image = await snapshots.CreateAsync(context, instance, name, properties, cancellationToken).ConfigureAwait(false);
        await BeginSnapshotAsync(context, instance, "createImage", TaskStates.ImageSnapshot, image.Id, cancellationToken).ConfigureAwait(false);
        await compute.CastMoveAsync(context, instance.Host!, new SnapshotInstance(instance.Uuid, image.Id), cancellationToken).ConfigureAwait(false);
        return image.Id;
    }

    /// <summary>Shelve: a snapshot named <c>&lt;name&gt;-shelved</c>, the guest powered off, offloaded at once with --shelved_offload_time=0.</summary>
    public async Task ShelveAsync(RequestContext context, Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        InstanceStateCheck.Check(context, instance, "shelve", SnapshotStates, InstanceStateCheck.NoTask);
        RequireImageBacked(instance);
        var image = await snapshots.CreateAsync(context, instance, $"{instance.DisplayName}-shelved", new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        await BeginSnapshotAsync(context, instance, "shelve", TaskStates.Shelving, image.Id, cancellationToken).ConfigureAwait(false);
        await compute.CastMoveAsync(context, instance.Host!, new ShelveInstance(instance.Uuid, image.Id, flags.Value.ShelvedOffloadTime == 0), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>shelveOffload: a shelved instance gives its host back now.</summary>
    public async Task ShelveOffloadAsync(RequestContext context, Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await BeginAsync(context, instance, "shelveOffload", TaskStates.ShelvingOffloading, [VmStates.Shelved], cancellationToken).ConfigureAwait(false);
        await compute.CastMoveAsync(context, instance.Host!, new ShelveOffloadInstance(instance.Uuid), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Unshelve: a shelved instance powers on where it is; an offloaded one goes where the scheduler places it (in
    /// <paramref name="availabilityZone"/> when given, 2.77) and is spawned there from its snapshot. When no host fits it stays offloaded.
    /// </summary>
    public async Task UnshelveAsync(RequestContext context, Instance instance, string? availabilityZone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (availabilityZone is not null && instance.VmState != VmStates.ShelvedOffloaded)
        {
            throw CloudException.Conflict($"The availability_zone parameter can only be used to unshelve a server in the shelved_offloaded state: {instance.Uuid}");
        }
        await BeginAsync(context, instance, "unshelve", TaskStates.Unshelving, [VmStates.Shelved, VmStates.ShelvedOffloaded], cancellationToken).ConfigureAwait(false);
        var host = instance.Host;
        if (instance.VmState == VmStates.ShelvedOffloaded)
        {
            try
            {
                host = await scheduler.SelectDestinationAsync(context, new SelectDestination(
                    instance.Uuid, instance.MemoryMb, instance.Vcpus, instance.RootGb, availabilityZone ?? instance.AvailabilityZone, null), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await store.SetTaskStateAsync(instance.Uuid, null, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            if (host is null || !await moves.AssignHostAsync(instance.Uuid, host, cancellationToken).ConfigureAwait(false))
            {
                if (host is not null)
                {
                    await migrations.ReleaseAsync(host, instance.MemoryMb, instance.Vcpus, instance.RootGb, CancellationToken.None).ConfigureAwait(false);
                }
                await store.SetTaskStateAsync(instance.Uuid, null, CancellationToken.None).ConfigureAwait(false);
                return;
            }
        }
        await compute.CastMoveAsync(context, host!, new UnshelveInstance(instance.Uuid), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// nova's lock and state checks, then the task started only if nothing else started one meanwhile (the row decides), and
    /// the action recorded. An offloaded instance has no host, so it goes without <see cref="InstanceTasks"/>; a snapshot
    /// does not check the lock (nova: a lock guards against changes, and a snapshot changes nothing).
    /// </summary>
    private async Task BeginAsync(
        RequestContext context, Instance instance, string action, string taskState, IReadOnlyCollection<string> vmStates, CancellationToken cancellationToken, bool checkLock = true)
    {
        if (checkLock && instance.Host is not null)
        {
            await tasks.BeginAsync(context, instance, action, taskState, vmStates, cancellationToken).ConfigureAwait(false);
            return;
        }
        InstanceStateCheck.Check(context, instance, action, vmStates, InstanceStateCheck.NoTask, checkLock);
        if (!await store.BeginTaskAsync(instance.Uuid, taskState, [.. vmStates], cancellationToken).ConfigureAwait(false))
        {
            var now = await store.FindAsync(instance.Uuid, cancellationToken).ConfigureAwait(false) ?? instance;
            throw InstanceStateCheck.Invalid(action, instance, "task_state", now.TaskState ?? "None");
        }
        await actions.StartAsync(context, instance.Uuid, action, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a snapshot's task; if another task won meanwhile, the image just registered is deleted again.</summary>
    private async Task BeginSnapshotAsync(RequestContext context, Instance instance, string action, string taskState, string imageId, CancellationToken cancellationToken)
    {
        try
        {
            await BeginAsync(context, instance, action, taskState, SnapshotStates, cancellationToken, checkLock: action != "createImage").ConfigureAwait(false);
        }
        catch (CloudException)
        {
            await images.DeleteAsync(context, imageId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A resize found no host: the instance is as it was and the migration is in error.</summary>
    private async Task AbandonAsync(Instance instance, Migration migration)
    {
        await migrations.MoveStatusAsync(migration.Uuid, MigrationStatuses.Error, [MigrationStatuses.PreMigrating], CancellationToken.None).ConfigureAwait(false);
        await store.SetTaskStateAsync(instance.Uuid, null, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<Migration> FinishedMigrationAsync(Instance instance, CancellationToken cancellationToken) =>
        await migrations.FinishedOfAsync(instance.Uuid, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.Invalid("Instance has not been resized.");

    private async Task RequireImageAsync(RequestContext context, string imageRef, string notFound, CancellationToken cancellationToken)
    {
        try
        {
            await images.GetAsync(context, imageRef, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            throw CloudException.Invalid(notFound);
        }
    }

    private async Task<string?> KeyDataAsync(RequestContext context, string? keyName, CancellationToken cancellationToken)
    {
        if (keyName is null)
        {
            return null;
        }
        try
        {
            return (await keyPairs.GetAsync(context, keyName, cancellationToken).ConfigureAwait(false)).PublicKey;
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            throw CloudException.Invalid("Invalid key_name provided.");
        }
    }

    /// <summary>A server booted from a volume has no local disk to snapshot here (nova snapshots its volume instead).</summary>
    private static void RequireImageBacked(Instance instance)
    {
        if (string.IsNullOrEmpty(instance.ImageRef))
        {
            throw CloudException.Invalid($"Instance {instance.Uuid} boots from a volume: cloudd does not snapshot volume-backed servers.");
        }
    }
}
