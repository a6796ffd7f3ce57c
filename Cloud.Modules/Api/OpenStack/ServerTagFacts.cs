using System.Text.Json;
using Cloud.Modules.Compute;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>Adds the tags (2.26) and the extras (hostname, trusted certificates, disk config) to the server view.</summary>
public sealed class ServerTagFacts(ServerTagsApi tags) : IServerFactsSource
{
    public async Task<IReadOnlyList<ServerFacts>> AddAsync(ServerFactsQuery query, IReadOnlyList<ServerFacts> servers)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(servers);
        var instances = servers.Select(s => s.Instance).ToList();
        var tagsOf = query.Version.AtLeast(26) ? await tags.OfAsync(instances, query.CancellationToken).ConfigureAwait(false) : null;
        var extras = await tags.ExtrasOfAsync(instances, query.CancellationToken).ConfigureAwait(false);
        return [.. servers.Select(s =>
        {
            var extra = extras.GetValueOrDefault(s.Instance.Uuid);
            if (tagsOf is null && extra is null && s.TrustedCertificates is null)
            {
                // Nothing to add: most servers have no extras row, and copying each record cost an allocation per server.
                return s;
            }
            return s with
            {
                Tags = tagsOf is null ? s.Tags : [.. tagsOf[s.Instance.Uuid]],
                Hostname = extra?.Hostname ?? s.Hostname,
                DiskConfig = extra?.DiskConfig ?? s.DiskConfig,
                TrustedCertificates = extra?.TrustedCertificates is { } json ? JsonSerializer.Deserialize<List<string>>(json) : null,
            };
        })];
    }
}
