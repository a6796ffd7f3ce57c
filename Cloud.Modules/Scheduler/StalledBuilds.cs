using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// Instances whose compute host died while building them: nobody else will ever report on them, so the scheduler
/// (which placed them) puts them in ERROR with a fault naming the host once its heartbeat is older than
/// <c>service_down_time</c>. The network role then releases their fixed IPs, and deleting them frees the claim.
/// </summary>
public sealed partial class StalledBuilds(InstanceBuildsApi store, ServiceGroup services, ILogger<StalledBuilds> log)
{
    public async Task FailThoseOnDeadHostsAsync(CancellationToken cancellationToken)
    {
        var building = await store.BuildingOnAHostAsync(cancellationToken).ConfigureAwait(false);
        if (building.Count == 0)
        {
            return;
        }
        var computes = (await services.ListByTopicAsync(ComputeRpcClient.Topic, cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.Host, StringComparer.Ordinal);
        foreach (var instance in building)
        {
            if (!computes.TryGetValue(instance.Host!, out var service) || services.IsUp(service))
            {
                continue;
            }
            var fault = $"Compute host {instance.Host} stopped reporting (last heartbeat {service.UpdatedAt:yyyy-MM-dd HH:mm:ss} UTC) while the instance was building.";
            if (await store.FailBuildAsync(instance.Uuid, fault, cancellationToken).ConfigureAwait(false))
            {
                LogFailed(instance.Uuid, instance.Host!);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "instance {Uuid} was building on {Host}, which is down: set to ERROR")]
    private partial void LogFailed(string uuid, string host);
}
