using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// Builds nova's detailed server view for one server (show, update, rebuild) or a page of them (<c>/servers/detail</c>):
/// loads the <see cref="ServerFacts"/> in a few queries, runs every <see cref="IServerFactsSource"/>, and renders them
/// with <see cref="ServerView.Detail"/> (one server) or <see cref="ServerDetailJson"/> (a page) at the request's microversion.
/// </summary>
public sealed class ServerDetails(ComputeApi compute, InstanceMetadataApi metadata, FlavorApi flavors, IEnumerable<IServerFactsSource> sources)
{
    /// <summary>One server, e.g. <c>ServerViewOptions.Rebuild(version)</c> for the rebuild action's answer.</summary>
    public async Task<Dictionary<string, object?>> OneAsync(HttpContext http, RequestContext context, Instance instance, ServerViewOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        var volumes = await compute.VolumesOfAsync(context, instance.Uuid, http.RequestAborted).ConfigureAwait(false);
        var facts = await FactsAsync(http, context, [instance], volumes.ToLookup(_ => instance.Uuid, StringComparer.OrdinalIgnoreCase), options).ConfigureAwait(false);
        return ServerView.Detail(http, NovaVersions.Of(http), facts[0], options);
    }

    /// <summary>
    /// The facts of a page of servers the caller may see (all projects' when <paramref name="allProjects"/> and admin),
    /// which <see cref="ServerDetailJson"/> writes without building each server's dictionary.
    /// </summary>
    public async Task<IReadOnlyList<ServerFacts>> ManyAsync(HttpContext http, RequestContext context, IReadOnlyList<Instance> instances, bool allProjects, ServerViewOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(instances);
        if (instances.Count == 0)
        {
            return [];
        }
        var volumes = await compute.AttachedVolumesAsync(context, allProjects, http.RequestAborted).ConfigureAwait(false);
        return await FactsAsync(http, context, instances, volumes, options).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<ServerFacts>> FactsAsync(
        HttpContext http, RequestContext context, IReadOnlyList<Instance> instances, ILookup<string, Volume.VolumeInfo> volumes, ServerViewOptions options)
    {
        var cancellationToken = http.RequestAborted;
        var (items, groups) = await metadata.OfAsync(instances, cancellationToken).ConfigureAwait(false);
        var addresses = await metadata.AddressesAsync(instances, cancellationToken).ConfigureAwait(false);
        var allFlavors = (await flavors.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(f => f.Id);
        // Each lookup by uuid hashes it (Marvin; volumes' case-insensitively): metadata is looked up once, not asked
        // Contains first, and a page without attached volumes asks no volume lookup (perf, 1,000 servers: the
        // lookups' hashing and GetGrouping were 5 % of the page's CPU samples).
        var anyVolume = volumes.Count > 0;
        IReadOnlyList<ServerFacts> facts = [.. instances.Select(i => new ServerFacts(i)
        {
            Metadata = items[i.Uuid] is var metadataItems && metadataItems.TryGetNonEnumeratedCount(out var count) && count == 0
                ? ServerFacts.NoStrings
                : metadataItems.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
            SecurityGroups = [.. groups[i.Uuid]],
            Addresses = [.. addresses[i.Uuid]],
            Volumes = anyVolume ? [.. volumes[i.Uuid].Select(v => new ServerVolumeFact(v.Uuid, v.DeleteOnTermination))] : [],
            Admin = context.IsAdmin,
            Flavor = allFlavors.GetValueOrDefault(i.InstanceTypeId),
            Hostname = Hostnames.FromDisplayName(i.DisplayName) is { Length: > 0 } hostname ? hostname : $"Server-{i.Uuid}",
        })];
        var query = new ServerFactsQuery(context, NovaVersions.Of(http), options, cancellationToken);
        foreach (var source in sources)
        {
            facts = await source.AddAsync(query, facts).ConfigureAwait(false);
        }
        return facts;
    }
}
