using System.Collections.Concurrent;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// nova-scheduler's manager on topic <c>scheduler</c>. One placement loop per scheduler: requests that arrive while
/// it runs wait in a queue and are placed together in its next round, against one read of the hosts, and claimed
/// in one transaction of conditional updates (so several schedulers never double-book a host: a round that loses
/// a race re-reads the hosts and places again). Then run_instance is cast to each chosen host. A request delivered
/// again places only what is still unplaced and re-sends run_instance to the hosts the claims name. New volumes are placed
/// by <see cref="VolumePlacement"/>, resizes and unshelves by <see cref="MoveDestinations"/>.
/// </summary>
public sealed partial class SchedulerManager(
    HostManager hosts,
    ISchedulerDriver driver,
    ComputeNodeApi nodes,
    ComputeRpcClient compute,
    BuildReconciler reconciler,
    IOptions<SchedulerFlags> flags,
    ILogger<SchedulerManager> log,
    VolumePlacement? volumes = null,
    ServerGroupApi? serverGroups = null,
    MoveDestinations? moves = null) : IRpcEndpoint, IPeriodicTasks, IDisposable
{
    public const string NoValidHost = "No valid host was found. There are not enough hosts available.";

    private const int MaxClaimAttempts = 10;

    private readonly SemaphoreSlim _placing = new(1, 1);
    private readonly ConcurrentQueue<PendingRequest> _queue = new();

    public async Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case ScheduleRunInstance m: await ScheduleRunInstanceAsync(context, m, cancellationToken).ConfigureAwait(false); return null;
            case SelectDestination m:
                return new SelectedDestination(await (moves ?? throw new UnknownRpcMethodException(message)).SelectAsync(m, cancellationToken).ConfigureAwait(false));
            case ScheduleCreateVolume m: await VolumesOrThrow().ScheduleAsync(context, m.VolumeUuid, cancellationToken).ConfigureAwait(false); return null;
            default: throw new UnknownRpcMethodException(message);
        }
    }

    public Task RunPeriodicTasksAsync(CancellationToken cancellationToken) => reconciler.ReconcileAsync(cancellationToken);

    /// <summary>
    /// Places and claims the request's instances that are not placed yet (all of those or none), then sends
    /// run_instance to the host of each instance that awaits its start; returns where it was sent. Safe to deliver
    /// again: an instance already placed is not placed twice (its claim decides its host), and one that got past the
    /// start of its build (spawning, active, deleted, error) is left alone.
    /// </summary>
    public async Task<IReadOnlyList<Placement>> ScheduleRunInstanceAsync(RequestContext context, ScheduleRunInstance request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = await nodes.InstancesAsync(request.InstanceUuids, cancellationToken).ConfigureAwait(false);
        var unplaced = before.Where(BuildStages.AwaitsPlacement).Select(i => i.Uuid).ToList();
        if (unplaced.Count < request.InstanceUuids.Count)
        {
            LogAlreadyPlaced(request.InstanceUuids.Count - unplaced.Count, request.InstanceUuids.Count);
        }
        var claimed = unplaced.Count == 0 ? null : await PlaceAsync(request with { InstanceUuids = unplaced }, cancellationToken).ConfigureAwait(false);
        if (unplaced.Count > 0 && claimed is null)
        {
            LogNoValidHost(unplaced.Count, request.MemoryMb, request.Vcpus, request.RootGb);
            await nodes.FailAsync(unplaced, NoValidHost, cancellationToken).ConfigureAwait(false);
        }
        // When this delivery claimed every instance of the request, its claims name their hosts. Otherwise read
        // again: a concurrent delivery of the same request, or an earlier one, may have placed some of them.
        var starts = claimed is not null && claimed.Count == request.InstanceUuids.Count
            ? claimed
            : (await nodes.InstancesAsync(request.InstanceUuids, cancellationToken).ConfigureAwait(false))
                .Where(BuildStages.AwaitsStart)
                .Select(i => new Placement(i.Uuid, i.Host!, i.MemoryMb, i.Vcpus, i.RootGb))
                .ToList();
        foreach (var p in starts)
        {
            await compute.RunInstanceAsync(context, p.Host, p.Uuid, cancellationToken).ConfigureAwait(false);
        }
        return starts;
    }

    /// <summary>
    /// Queues the request for the next placement round (run by whichever waiting request gets there first); returns
    /// the placements claimed for it, or null: no valid host.
    /// </summary>
    private async Task<IReadOnlyList<Placement>?> PlaceAsync(ScheduleRunInstance request, CancellationToken cancellationToken)
    {
        var group = request.ServerGroup is null || serverGroups is null ? null : await serverGroups.PlacementAsync(request.InstanceUuids, cancellationToken).ConfigureAwait(false);
        var pending = new PendingRequest(request, RequestSpec.From(request), group);
        _queue.Enqueue(pending);
        await _placing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!pending.Done.Task.IsCompleted)
            {
                await PlaceQueuedAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _placing.Release();
        }
        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>One round: every queued request placed against one read of the hosts, and claimed together.</summary>
    private async Task PlaceQueuedAsync(CancellationToken cancellationToken)
    {
        var batch = new List<PendingRequest>();
        while (_queue.TryDequeue(out var next))
        {
            batch.Add(next);
        }
        try
        {
            for (var attempt = 1; attempt <= MaxClaimAttempts; attempt++)
            {
                var states = await hosts.HostStatesAsync(cancellationToken).ConfigureAwait(false);
                var spreads = new Dictionary<string, GroupSpread>(StringComparer.Ordinal);
                var results = batch.Select(p => PlacementsOf(p, HostPlacer.Place(driver, states, SpecOf(p, spreads), p.Request.InstanceUuids.Count))).ToList();
                if (await nodes.ClaimPlacementsAsync([.. results.Where(r => r is not null).SelectMany(r => r!)], flags.Value.Ratios, cancellationToken).ConfigureAwait(false) is { } claimed)
                {
                    var uuids = claimed.Select(p => p.Uuid).ToHashSet(StringComparer.Ordinal);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].Done.TrySetResult(results[i] is { } placed ? [.. placed.Where(p => uuids.Contains(p.Uuid))] : null);
                    }
                    return;
                }
                LogClaimLost(attempt, batch.Count);
            }
            batch.ForEach(p => p.Done.TrySetResult(null));
        }
        catch (Exception e)
        {
            batch.ForEach(p => p.Done.TrySetException(e));
            throw;
        }
    }

    /// <summary>The request's spec with its group's spread in this round, shared by every request of the same group.</summary>
    private static RequestSpec SpecOf(PendingRequest pending, Dictionary<string, GroupSpread> spreads)
    {
        if (pending.Group is not { } group)
        {
            return pending.Spec;
        }
        if (!spreads.TryGetValue(group.GroupUuid, out var spread))
        {
            spreads[group.GroupUuid] = spread = new GroupSpread(group);
        }
        return pending.Spec with { Group = spread };
    }

    private static IReadOnlyList<Placement>? PlacementsOf(PendingRequest pending, IReadOnlyList<HostState>? chosen) =>
        chosen is null ? null : [.. pending.Request.InstanceUuids.Select((uuid, i) => new Placement(uuid, chosen[i].Host, pending.Spec.MemoryMb, pending.Spec.Vcpus, pending.Spec.RootGb))];

    public void Dispose() => _placing.Dispose();

    private VolumePlacement VolumesOrThrow() =>
        volumes ?? throw new InvalidOperationException("this scheduler was built without volume placement (VolumePlacement)");

    [LoggerMessage(Level = LogLevel.Warning, Message = "no valid host for {Count} instance(s) of {MemoryMb} MiB, {Vcpus} vcpus, {RootGb} GiB")]
    private partial void LogNoValidHost(int count, long memoryMb, long vcpus, long rootGb);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Placed} of {Count} instance(s) of a schedule_run_instance delivered again were placed already: not placed again")]
    private partial void LogAlreadyPlaced(int placed, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "claim attempt {Attempt} for {Requests} request(s) lost to another scheduler; placing again")]
    private partial void LogClaimLost(int attempt, int requests);

    private sealed record PendingRequest(ScheduleRunInstance Request, RequestSpec Spec, GroupPlacement? Group)
    {
        public TaskCompletionSource<IReadOnlyList<Placement>?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
