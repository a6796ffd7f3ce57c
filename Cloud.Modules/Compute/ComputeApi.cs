using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Reliability;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Volume;

namespace Cloud.Modules.Compute;

/// <summary>
/// The instances' in-process façade for the EC2 and OpenStack APIs (nova's compute.API): validates and authorizes,
/// writes the database, casts to the scheduler or to <c>compute.&lt;host&gt;</c>. Members see their project's
/// instances only (another project's are "not found"); admins see all. Its SQL runs in <see cref="InstanceStore"/>.
/// </summary>
public sealed class ComputeApi(
    InstanceStore store,
    FlavorApi flavors,
    KeyPairApi keyPairs,
    SecurityGroupApi securityGroups,
    ComputeQuotas quotas,
    IBuildScheduler scheduler,
    ComputeRpcClient compute,
    ServiceGroup services,
    InstanceTasks tasks,
    TimeProvider clock,
    RpcOutbox outbox,
    VolumeApi? volumes = null,
    ServerGroupApi? serverGroups = null)
{
    private VolumeApi Volumes => volumes ?? throw new InvalidOperationException("ComputeApi was built without the volume service's VolumeApi.");

    private ServerGroupApi ServerGroups => serverGroups ?? throw new InvalidOperationException("ComputeApi was built without ServerGroupApi.");

    /// <summary>
    /// Creates between MinCount and MaxCount instances in one reservation (fewer than MaxCount only when quotas
    /// allow no more), writes them and their scheduling cast in one transaction and then sends that cast
    /// (<see cref="RpcOutbox"/>: a broker that is down delays the placement, it does not lose it). Returns them in launch order.
    /// </summary>
    public async Task<IReadOnlyList<Instance>> CreateAsync(RequestContext context, CreateInstancesRequest request, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        ServerLimits.Check(request);
        var bootFromVolume = request.BlockDeviceMappings.Any(m => m.BootIndex == 0);
        if (string.IsNullOrWhiteSpace(request.ImageRef) && !bootFromVolume)
        {
            throw CloudException.Invalid("An image is required.");
        }
        var flavor = await flavors.FindUsableAsync(context, request.Flavor, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.Invalid($"Flavor {request.Flavor} could not be found.");
        var keyData = request.KeyName is null ? null : (await AsInvalidAsync(() => keyPairs.GetAsync(context, request.KeyName, cancellationToken)).ConfigureAwait(false)).PublicKey;
        var groups = await AsInvalidAsync(() => securityGroups.ResolveAsync(context, request.SecurityGroups, cancellationToken)).ConfigureAwait(false);
        var limits = await quotas.LimitsAsync(projectId, cancellationToken).ConfigureAwait(false);
        var mappings = request.BlockDeviceMappings.Count == 0 ? [] : await BootVolumes.ValidateAsync(Volumes, context, request, cancellationToken).ConfigureAwait(false);
        if (bootFromVolume && request.KernelId is null && request.RamdiskId is null)
        {
            var (kernelId, ramdiskId) = await BootVolumes.KernelAndRamdiskAsync(Volumes, context, mappings, cancellationToken).ConfigureAwait(false);
            request = request with { KernelId = kernelId, RamdiskId = ramdiskId };
        }

        var serverGroup = request.ServerGroup is null ? null : await ServerGroups.JoinableAsync(context, request.ServerGroup, request.MaxCount, cancellationToken).ConfigureAwait(false);
        var launch = new InstanceLaunch(projectId, request, flavor, keyData, groups.Select(g => g.Id).ToList(), Ec2Ids.NewReservation(), clock.GetUtcNow().UtcDateTime)
        {
            ServerGroupId = serverGroup?.Id,
        };
        // The scheduling cast is written with the instances, in their transaction (an outbox), so that a create
        // either lands whole with its message or not at all.
        OutboxCast? schedule = null;
        var uuids = await store.CreateAsync(context, launch, usage => AllowedCount(request, flavor, limits, usage), async (c, t, created) =>
        {
            var cast = scheduler.ScheduleRunInstanceCast(new ScheduleRunInstance(
                created, flavor.MemoryMb, flavor.Vcpus, flavor.RootGb, request.AvailabilityZone, request.ImageProperties) { ServerGroup = serverGroup?.Uuid });
            schedule = await outbox.AddAsync(c, t, context, cast, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        // Committed: a client that hangs up from here on must not cut the create short, so the rest is bounded by
        // its own deadline instead of the request's token.
        using (var committed = new CancellationTokenSource(RpcOutbox.SendDeadline))
        {
            if (mappings.Count > 0)
            {
                await ReserveBootVolumesAsync(context, uuids[0], schedule!.Id, mappings, committed.Token).ConfigureAwait(false);
            }
        }
        // A bus that does not take the cast leaves it in the outbox, sent again by RpcOutboxSender: the servers
        // exist and will be scheduled, so the answer is still 202.
        await outbox.SendAsync(schedule!).ConfigureAwait(false);
        return await store.ByUuidsAsync(uuids, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The caller's project's live instances; an admin with <paramref name="allProjects"/> sees all projects'.</summary>
    public Task<IReadOnlyList<Instance>> ListAsync(RequestContext context, bool allProjects, CancellationToken cancellationToken) =>
        ListAsync(context, InstanceListQuery.LiveOnly(allProjects), cancellationToken);

    /// <summary>The instances <paramref name="query"/> asks for, of the caller's project (of all for an admin asking so).</summary>
    public async Task<IReadOnlyList<Instance>> ListAsync(RequestContext context, InstanceListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var projectId = Policy.RequireScoped(context);
        return await store.ListAsync(query, projectId, query.AllProjects && context.IsAdmin, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.Invalid($"marker [{query.Marker}] not found");
    }

    /// <summary>An instance by UUID or EC2 id (<c>i-0000002a</c>); NotFound when it is another project's and the caller is no admin.</summary>
    public async Task<Instance> GetAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        Policy.RequireAuthenticated(context);
        var instance = Ec2Ids.TryParseInstance(id, out var dbId)
            ? await store.FindByIdAsync(dbId, cancellationToken).ConfigureAwait(false)
            : await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (instance is null || (!context.IsAdmin && instance.ProjectId != context.ProjectId))
        {
            throw CloudException.NotFound($"Instance {id} could not be found.");
        }
        return instance;
    }

    public async Task<IReadOnlyDictionary<string, string>> GetMetadataAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var instance = await GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        return await store.MetadataAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> GetSecurityGroupNamesAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var instance = await GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        return await store.SecurityGroupNamesAsync(instance.Uuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Terminates: the host destroys the domain and marks it deleted. An instance without a host (never placed),
    /// or whose host is down, is deleted here at once (nova's local delete), releasing its claim.
    /// </summary>
    public async Task TerminateAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var instance = await GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        if (instance.Deleted)
        {
            return;
        }
        InstanceStateCheck.RequireUnlocked(context, instance);
        await store.AddActionAsync(context, instance.Uuid, "delete", null, cancellationToken).ConfigureAwait(false);
        if (instance.Host is null || !await HostIsUpAsync(instance.Host, cancellationToken).ConfigureAwait(false))
        {
            await store.MarkDeletedAsync(instance, cancellationToken).ConfigureAwait(false);
            await ReleaseVolumesAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false);
            return;
        }
        await store.SetTaskStateAsync(instance.Uuid, TaskStates.Deleting, cancellationToken).ConfigureAwait(false);
        await compute.TerminateInstanceAsync(context, instance.Host, instance.Uuid, cancellationToken).ConfigureAwait(false);
    }

    public Task RebootAsync(RequestContext context, string id, bool hard, CancellationToken cancellationToken) =>
        ActAsync(context, id, "reboot", hard ? TaskStates.RebootingHard : TaskStates.Rebooting, [VmStates.Active, VmStates.Stopped],
            (host, uuid) => compute.RebootInstanceAsync(context, host, uuid, hard, cancellationToken), cancellationToken);

    public Task StopAsync(RequestContext context, string id, CancellationToken cancellationToken) =>
        ActAsync(context, id, "stop", TaskStates.PoweringOff, [VmStates.Active],
            (host, uuid) => compute.StopInstanceAsync(context, host, uuid, cancellationToken), cancellationToken);

    public Task StartAsync(RequestContext context, string id, CancellationToken cancellationToken) =>
        ActAsync(context, id, "start", TaskStates.PoweringOn, [VmStates.Stopped],
            (host, uuid) => compute.StartInstanceAsync(context, host, uuid, cancellationToken), cancellationToken);

    /// <summary>The instance's console output, asked of its host (a call; Conflict while it has no host, NotFound while its host has no guest for it).</summary>
    public async Task<string> GetConsoleOutputAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var instance = await GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        if (instance.Host is null || instance.Deleted)
        {
            throw CloudException.Conflict($"Instance {id} is not running on a host.");
        }
        return await compute.GetConsoleOutputAsync(context, instance.Host, instance.Uuid, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Instance {id} could not be found.");
    }

    private async Task ActAsync(RequestContext context, string id, string action, string taskState, IReadOnlyCollection<string> fromStates, Func<string, string, Task> cast, CancellationToken cancellationToken)
    {
        var instance = await GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        var host = await tasks.BeginAsync(context, instance, action, taskState, fromStates, cancellationToken).ConfigureAwait(false);
        await cast(host, instance.Uuid).ConfigureAwait(false);
    }

    private async Task<bool> HostIsUpAsync(string host, CancellationToken cancellationToken)
    {
        var service = (await services.ListByTopicAsync(ComputeRpcClient.Topic, cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Host == host);
        return service is not null && services.IsUp(service);
    }

    /// <summary>MaxCount, cut to what the quotas leave, or an over-quota error when even MinCount does not fit.</summary>
    private static int AllowedCount(CreateInstancesRequest request, Flavor flavor, IReadOnlyDictionary<string, long> limits, InstanceUsage usage)
    {
        (string Resource, long PerInstance, long Used)[] resources =
            [("instances", 1, usage.Instances), ("cores", flavor.Vcpus, usage.Cores), ("ram", flavor.MemoryMb, usage.Ram)];
        var allowed = (long)request.MaxCount;
        foreach (var (resource, perInstance, used) in resources)
        {
            var headroom = ComputeQuotas.Headroom(resource, limits, perInstance, used);
            if (headroom < request.MinCount)
            {
                ComputeQuotas.Check(resource, limits, request.MinCount * perInstance, used);
            }
            allowed = Math.Min(allowed, headroom);
        }
        return (int)allowed;
    }

    /// <summary>A referenced key pair or group that is missing makes the request invalid (400), not the URL (404).</summary>
    private static async Task<T> AsInvalidAsync<T>(Func<Task<T>> lookup)
    {
        try
        {
            return await lookup().ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            throw CloudException.Invalid(e.Message);
        }
    }

    /// <summary>
    /// Attaches the caller's project's available volume to the caller's project's instance as <paramref name="device"/>
    /// (null = the next free /dev/vdX); returns the device. The volume is reserved (attaching) before this returns; the
    /// compute host connects it and makes it in-use (os-volume_attachments POST, EC2 AttachVolume).
    /// </summary>
    public async Task<string> AttachVolumeAsync(RequestContext context, string instanceId, string volumeUuid, string? device, CancellationToken cancellationToken)
    {
        var instance = await VolumeTargetAsync(context, instanceId, "attach_volume", cancellationToken).ConfigureAwait(false);
        var volume = await Volumes.GetAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
        var attached = await Volumes.ForInstanceAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false);
        var chosen = VolumeDevices.Choose(device, attached.Select(v => v.Mountpoint));
        await Volumes.ReserveAsync(context, volume.Uuid, instance.Uuid, chosen, false, null, cancellationToken).ConfigureAwait(false);
        try
        {
            await store.AddActionAsync(context, instance.Uuid, "attach_volume", null, cancellationToken).ConfigureAwait(false);
            await compute.AttachVolumeAsync(context, instance.Host!, instance.Uuid, volume.Uuid, chosen, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Volumes.UnreserveAsync(context, volume.Uuid, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return chosen;
    }

    /// <summary>Detaches the volume from the instance it is attached to (detaching now; available once the guest has let go).</summary>
    public async Task DetachVolumeAsync(RequestContext context, string instanceId, string volumeUuid, CancellationToken cancellationToken)
    {
        var instance = await VolumeTargetAsync(context, instanceId, "detach_volume", cancellationToken).ConfigureAwait(false);
        var volume = await Volumes.GetAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(volume.InstanceUuid, instance.Uuid, StringComparison.OrdinalIgnoreCase))
        {
            throw CloudException.NotFound($"No volume Block Device Mapping with id {volumeUuid}.");
        }
        if (volume.BootIndex == 0)
        {
            throw CloudException.Invalid("Cannot detach a root device volume");
        }
        await Volumes.BeginDetachingAsync(context, volume.Uuid, cancellationToken).ConfigureAwait(false);
        try
        {
            await store.AddActionAsync(context, instance.Uuid, "detach_volume", null, cancellationToken).ConfigureAwait(false);
            await compute.DetachVolumeAsync(context, instance.Host!, instance.Uuid, volume.Uuid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Volumes.RollDetachingAsync(context, volume.Uuid, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The volumes attached (or being attached) to the caller's project's instance, by boot index then device.</summary>
    public async Task<IReadOnlyList<VolumeInfo>> VolumesOfAsync(RequestContext context, string instanceId, CancellationToken cancellationToken)
    {
        var instance = await GetAsync(context, instanceId, cancellationToken).ConfigureAwait(false);
        return instance.Deleted ? [] : await Volumes.ForInstanceAsync(context, instance.Uuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The volumes attached (or being attached) to instances, by instance uuid: the caller's project's, every project's for an admin asking so.</summary>
    public async Task<ILookup<string, VolumeInfo>> AttachedVolumesAsync(RequestContext context, bool allProjects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = await Volumes.ListAsync(context, new VolumeListQuery(AllProjects: allProjects && context.IsAdmin), cancellationToken).ConfigureAwait(false);
        return all.Where(v => v.InstanceUuid is not null).ToLookup(v => v.InstanceUuid!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>nova's check_instance_state for volume actions: a live instance on a host, active or stopped, with no task running (409 otherwise).</summary>
    private async Task<Instance> VolumeTargetAsync(RequestContext context, string instanceId, string action, CancellationToken cancellationToken)
    {
        var instance = await GetAsync(context, instanceId, cancellationToken).ConfigureAwait(false);
        if (instance.Deleted)
        {
            throw CloudException.NotFound($"Instance {instanceId} could not be found.");
        }
        InstanceStateCheck.Check(context, instance, action, [VmStates.Active, VmStates.Stopped, VmStates.Paused], InstanceStateCheck.NoTask, mustHaveLaunched: false);
        return instance.Host is null ? throw InstanceStateCheck.Invalid(action, instance, "vm_state", instance.VmState) : instance;
    }

    /// <summary>
    /// Reserves the mapped volumes for the new instance; if that fails, the instance is deleted again and its
    /// scheduling cast is dropped from the outbox (nothing half-made).
    /// </summary>
    private async Task ReserveBootVolumesAsync(RequestContext context, string instanceUuid, string outboxId, IReadOnlyList<BlockDeviceMapping> mappings, CancellationToken cancellationToken)
    {
        try
        {
            await BootVolumes.ReserveAsync(Volumes, context, instanceUuid, mappings, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await outbox.DiscardAsync(outboxId, CancellationToken.None).ConfigureAwait(false);
            if (await store.FindAsync(instanceUuid, CancellationToken.None).ConfigureAwait(false) is { } instance)
            {
                await store.MarkDeletedAsync(instance, CancellationToken.None).ConfigureAwait(false);
            }
            throw;
        }
    }

    /// <summary>An instance deleted here (no live host) gives its volumes back in the database; there is no connection to end.</summary>
    private async Task ReleaseVolumesAsync(RequestContext context, string instanceUuid, CancellationToken cancellationToken)
    {
        if (volumes is null)
        {
            return;
        }
        foreach (var volume in await volumes.ForInstanceAsync(context, instanceUuid, cancellationToken).ConfigureAwait(false))
        {
            await VolumeRelease.ReleaseAsync(volumes, context, volume, honourDeleteOnTermination: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
