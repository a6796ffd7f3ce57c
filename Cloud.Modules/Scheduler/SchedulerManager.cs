using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// nova-scheduler's manager on topic <c>scheduler</c>. Places each request in one loop (one placement at a time
/// per scheduler), claims it in the database with conditional updates (so several schedulers never double-book a
/// host: a lost race re-reads and retries), then casts run_instance to each chosen host.
/// </summary>
public sealed partial class SchedulerManager(
    HostManager hosts,
    ISchedulerDriver driver,
    ComputeNodeApi nodes,
    ComputeRpcClient compute,
    IOptions<SchedulerFlags> flags,
    ILogger<SchedulerManager> log) : IRpcEndpoint, IDisposable
{
    public const string NoValidHost = "No valid host was found. There are not enough hosts available.";

    private const int MaxClaimAttempts = 10;

    private readonly SemaphoreSlim _placing = new(1, 1);

    public async Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case ScheduleRunInstance m: await ScheduleRunInstanceAsync(context, m, cancellationToken).ConfigureAwait(false); return null;
            default: throw new UnknownRpcMethodException(message);
        }
    }

    /// <summary>Places and claims the request's instances (all or none), then starts them on their hosts; returns the placements.</summary>
    public async Task<IReadOnlyList<Placement>> ScheduleRunInstanceAsync(RequestContext context, ScheduleRunInstance request, CancellationToken cancellationToken)
    {
        var placements = await ClaimAsync(request, cancellationToken).ConfigureAwait(false);
        if (placements is null)
        {
            LogNoValidHost(request.InstanceUuids.Count, request.MemoryMb, request.Vcpus, request.RootGb);
            await nodes.FailAsync(request.InstanceUuids, NoValidHost, cancellationToken).ConfigureAwait(false);
            return [];
        }
        foreach (var p in placements)
        {
            await compute.RunInstanceAsync(context, p.Host, p.Uuid, cancellationToken).ConfigureAwait(false);
        }
        return placements;
    }

    private async Task<IReadOnlyList<Placement>?> ClaimAsync(ScheduleRunInstance request, CancellationToken cancellationToken)
    {
        var spec = RequestSpec.From(request);
        await _placing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; attempt <= MaxClaimAttempts; attempt++)
            {
                var chosen = HostPlacer.Place(driver, await hosts.HostStatesAsync(cancellationToken).ConfigureAwait(false), spec, request.InstanceUuids.Count);
                if (chosen is null)
                {
                    return null;
                }
                var placements = request.InstanceUuids.Select((uuid, i) => new Placement(uuid, chosen[i].Host, spec.MemoryMb, spec.Vcpus, spec.RootGb)).ToList();
                if (await nodes.ClaimAsync(placements, flags.Value.Ratios, cancellationToken).ConfigureAwait(false))
                {
                    return placements;
                }
                LogClaimLost(attempt);
            }
            return null;
        }
        finally
        {
            _placing.Release();
        }
    }

    public void Dispose() => _placing.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "no valid host for {Count} instance(s) of {MemoryMb} MiB, {Vcpus} vcpus, {RootGb} GiB")]
    private partial void LogNoValidHost(int count, long memoryMb, long vcpus, long rootGb);

    [LoggerMessage(Level = LogLevel.Information, Message = "claim attempt {Attempt} lost to another scheduler; placing again")]
    private partial void LogClaimLost(int attempt);
}
