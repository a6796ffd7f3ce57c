using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Reliability;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// The scheduler's periodic sweep over instances in a transitional state, so none stays there for good after a lost
/// message, a database outage or a dead host:
/// <list type="bullet">
/// <item>building for longer than <c>instance_build_timeout</c> since creation: ERROR with a fault saying where it was
/// stuck and since when, its fixed IP and (unless it may have a guest: spawning) its claim given back;</item>
/// <item>placed on a host that went down before it started there (no task yet, scheduling or networking): taken off it,
/// claim and IP given back, and scheduled again (NoValidHost's fault when nothing else fits); already spawning there:
/// ERROR naming the host, which keeps its claim until the instance is deleted (the guest may exist there);</item>
/// <item>waiting for a host (scheduling, none) longer than <c>instance_scheduling_timeout</c>: its schedule_run_instance
/// is sent again (a duplicate is harmless: the claim decides);</item>
/// <item>deleting for longer than <c>instance_build_timeout</c>: terminate_instance sent again if its host is up, else
/// the delete is finished here (deleted, claim, IP and volumes given back).</item>
/// </list>
/// Every action follows a conditional update of the row as read and is taken only if that update won, so schedulers
/// reconciling at once never act twice on one instance.
/// </summary>
public sealed partial class BuildReconciler(
    InstanceBuildsApi builds,
    ServiceGroup services,
    ComputeRpcClient compute,
    SchedulerRpcClient scheduler,
    IOptions<SchedulerFlags> flags,
    TimeProvider clock,
    ILogger<BuildReconciler> log)
{
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var inFlight = await builds.InFlightAsync(cancellationToken).ConfigureAwait(false);
        if (inFlight.Count == 0)
        {
            return;
        }
        var computes = (await services.ListByTopicAsync(ComputeRpcClient.Topic, cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.Host, StringComparer.Ordinal);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var instance in inFlight)
        {
            try
            {
                await ReconcileAsync(instance, computes, now, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && !TransientFaults.IsTransient(e))
            {
                // One instance's failure must not stop the sweep; a database or bus outage ends it (the next pass retries).
                LogFailed(e, instance.Uuid);
            }
        }
    }

    private async Task ReconcileAsync(Instance instance, Dictionary<string, ServiceRecord> computes, DateTime now, CancellationToken cancellationToken)
    {
        var buildTimeout = TimeSpan.FromSeconds(flags.Value.InstanceBuildTimeout);
        var deadHost = instance.Host is { } host && computes.TryGetValue(host, out var service) && !services.IsUp(service) ? service : null;
        if (instance.TaskState == TaskStates.Deleting)
        {
            if (buildTimeout > TimeSpan.Zero && now - instance.UpdatedAt > buildTimeout)
            {
                await ResumeDeleteAsync(instance, instance.Host is null || deadHost is not null || !computes.ContainsKey(instance.Host), cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        if (buildTimeout > TimeSpan.Zero && now - instance.CreatedAt > buildTimeout)
        {
            var fault = $"Build timed out: the instance was still building (task_state {instance.TaskState ?? "none"}, host {instance.Host ?? "none"}) " +
                $"{(int)(now - instance.CreatedAt).TotalSeconds} s after its creation at {instance.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC, past instance_build_timeout " +
                $"({flags.Value.InstanceBuildTimeout} s); last change at {instance.UpdatedAt:yyyy-MM-dd HH:mm:ss} UTC.";
            await FailAsync(instance, fault, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (deadHost is not null)
        {
            await OnDeadHostAsync(instance, deadHost, cancellationToken).ConfigureAwait(false);
            return;
        }
        var schedulingTimeout = TimeSpan.FromSeconds(flags.Value.InstanceSchedulingTimeout);
        if (instance.Host is null && instance.TaskState == TaskStates.Scheduling && schedulingTimeout > TimeSpan.Zero && now - instance.UpdatedAt > schedulingTimeout
            && await builds.TouchAsync(instance, cancellationToken).ConfigureAwait(false))
        {
            LogScheduleResent(instance.Uuid, instance.UpdatedAt);
            await ScheduleAsync(instance, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Not started on the dead host: placed elsewhere. Spawning there: failed, as the guest may exist on it.</summary>
    private async Task OnDeadHostAsync(Instance instance, ServiceRecord host, CancellationToken cancellationToken)
    {
        if (MayHaveGuest(instance))
        {
            var fault = $"Compute host {host.Host} stopped reporting (last heartbeat {host.UpdatedAt:yyyy-MM-dd HH:mm:ss} UTC) while the instance was building.";
            await FailAsync(instance, fault, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (await builds.UnplaceAsync(instance, cancellationToken).ConfigureAwait(false))
        {
            LogRescheduled(instance.Uuid, host.Host);
            await ScheduleAsync(instance, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FailAsync(Instance instance, string fault, CancellationToken cancellationToken)
    {
        if (await builds.FailAsync(instance, fault, releaseClaim: !MayHaveGuest(instance), cancellationToken).ConfigureAwait(false))
        {
            LogFailedBuild(instance.Uuid, fault);
        }
    }

    /// <summary>Sends terminate_instance to a live host again; with no live host the delete is finished here.</summary>
    private async Task ResumeDeleteAsync(Instance instance, bool hostGone, CancellationToken cancellationToken)
    {
        if (hostGone)
        {
            if (await builds.FinishDeleteAsync(instance, cancellationToken).ConfigureAwait(false))
            {
                LogDeleteFinished(instance.Uuid, instance.Host ?? "none");
            }
            return;
        }
        if (await builds.TouchAsync(instance, cancellationToken).ConfigureAwait(false))
        {
            LogDeleteResent(instance.Uuid, instance.Host!);
            await compute.TerminateInstanceAsync(RequestContext.Service(), instance.Host!, instance.Uuid, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A schedule_run_instance for this one instance, as the compute API sent it, without the image's properties (not
    /// stored with the instance). If this cast is lost too, the instance waits in scheduling and is sent again.
    /// </summary>
    private Task ScheduleAsync(Instance instance, CancellationToken cancellationToken) =>
        scheduler.ScheduleRunInstanceAsync(RequestContext.Service(),
            new ScheduleRunInstance([instance.Uuid], instance.MemoryMb, instance.Vcpus, instance.RootGb, instance.AvailabilityZone, null), cancellationToken);

    /// <summary>Once its host has started spawning it, the guest may exist there: the instance keeps that host.</summary>
    private static bool MayHaveGuest(Instance instance) => instance.TaskState == TaskStates.Spawning;

    [LoggerMessage(Level = LogLevel.Warning, Message = "instance {Uuid} set to ERROR: {Fault}")]
    private partial void LogFailedBuild(string uuid, string fault);

    [LoggerMessage(Level = LogLevel.Warning, Message = "instance {Uuid} was placed on {Host}, which is down before it started: scheduling it again")]
    private partial void LogRescheduled(string uuid, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "instance {Uuid} has waited for a host since {Since:u}: sending schedule_run_instance again")]
    private partial void LogScheduleResent(string uuid, DateTime since);

    [LoggerMessage(Level = LogLevel.Warning, Message = "instance {Uuid} is still deleting on {Host}: sending terminate_instance again")]
    private partial void LogDeleteResent(string uuid, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "instance {Uuid} was deleting on host {Host}, which cannot finish it: deleted here")]
    private partial void LogDeleteFinished(string uuid, string host);

    [LoggerMessage(Level = LogLevel.Error, Message = "reconciling instance {Uuid} failed; the next pass tries again")]
    private partial void LogFailed(Exception error, string uuid);
}
