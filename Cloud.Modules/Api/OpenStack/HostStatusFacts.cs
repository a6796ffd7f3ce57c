using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Service;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// host_status (2.16, admins): MAINTENANCE for a disabled compute service, UP when it reports, UNKNOWN when it does
/// not, "" without a host or service (nova's compute.API.get_instance_host_status; cloudd has no forced-down state).
/// </summary>
public sealed class HostStatusFacts(ServiceGroup services) : IServerFactsSource
{
    public async Task<IReadOnlyList<ServerFacts>> AddAsync(ServerFactsQuery query, IReadOnlyList<ServerFacts> servers)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(servers);
        if (!query.Version.AtLeast(16) || !query.Options.HostStatus || !query.Context.IsAdmin)
        {
            return servers;
        }
        var computes = (await services.ListByTopicAsync(ComputeRpcClient.Topic, query.CancellationToken).ConfigureAwait(false))
            .GroupBy(s => s.Host, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. servers.Select(s => s with { HostStatus = Status(s.Instance.Host is { } host ? computes.GetValueOrDefault(host) : null) })];
    }

    private string Status(ServiceRecord? service) => service switch
    {
        null => "",
        { Disabled: true } => "MAINTENANCE",
        _ when services.IsUp(service) => "UP",
        _ => "UNKNOWN",
    };
}
