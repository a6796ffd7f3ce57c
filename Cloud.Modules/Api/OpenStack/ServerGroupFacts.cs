using Cloud.Modules.Compute;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>Adds <c>server_groups</c> (2.71: the uuid of the group the server belongs to) where the answer shows it.</summary>
public sealed class ServerGroupFacts(ServerGroupApi groups) : IServerFactsSource
{
    public async Task<IReadOnlyList<ServerFacts>> AddAsync(ServerFactsQuery query, IReadOnlyList<ServerFacts> servers)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(servers);
        if (!query.Options.ServerGroups)
        {
            return servers;
        }
        var result = new List<ServerFacts>(servers.Count);
        foreach (var server in servers)
        {
            var of = await groups.OfInstanceAsync(server.Instance.Uuid, query.CancellationToken).ConfigureAwait(false);
            result.Add(server with { ServerGroups = [.. of.Select(g => g.Uuid)] });
        }
        return result;
    }
}
