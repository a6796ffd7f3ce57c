using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Scheduler;

/// <summary>Reads the compute hosts afresh for each placement: their reported capacity and claims, and their services' liveness.</summary>
public sealed class HostManager(ComputeNodeApi nodes, ServiceGroup services, IOptions<SchedulerFlags> flags)
{
    public async Task<IReadOnlyList<HostState>> HostStatesAsync(CancellationToken cancellationToken)
    {
        var computeServices = (await services.ListByTopicAsync(ComputeRpcClient.Topic, cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.Host, StringComparer.Ordinal);
        var ratios = flags.Value.Ratios;
        return [.. (await nodes.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(n => computeServices.ContainsKey(n.Host))
            .Select(n =>
            {
                var service = computeServices[n.Host];
                return new HostState(n, service.AvailabilityZone, services.IsUp(service), service.Disabled, ratios);
            })];
    }
}
