using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>
/// Server groups: create, list, show, delete; the group a new instance joins (checked against the member quota); and what
/// the scheduler needs to honour a group's policy (<see cref="PlacementAsync"/>). Another project's group is not found,
/// except for admins.
/// </summary>
public sealed class ServerGroupApi(ServerGroupStore store, ComputeQuotas quotas, TimeProvider clock)
{
    public async Task<ServerGroup> CreateAsync(RequestContext context, string name, string policy, long? maxServerPerHost, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        if (!ServerGroupPolicies.All.Contains(policy))
        {
            throw CloudException.Invalid($"Invalid server group policy {policy}.");
        }
        if (maxServerPerHost is not null && policy != ServerGroupPolicies.AntiAffinity)
        {
            throw CloudException.Invalid("Only anti-affinity policy supports rules.");
        }
        var limits = await quotas.LimitsAsync(projectId, cancellationToken).ConfigureAwait(false);
        var group = new ServerGroup
        {
            Uuid = Guid.NewGuid().ToString(),
            Name = name,
            ProjectId = projectId,
            UserId = context.UserId,
            Policy = policy,
            MaxServerPerHost = maxServerPerHost,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await store.InsertAsync(group, used =>
        {
            if (Limit(limits, ServerGroupQuotas.Groups) is { } limit && used + 1 > limit)
            {
                throw CloudException.Forbidden("Quota exceeded, too many server groups.");
            }
        }, cancellationToken).ConfigureAwait(false);
        return await store.FindAsync(group.Uuid, cancellationToken).ConfigureAwait(false) ?? group;
    }

    /// <summary>The caller's project's groups; an admin with <paramref name="allProjects"/> sees every project's.</summary>
    public Task<IReadOnlyList<ServerGroup>> ListAsync(RequestContext context, bool allProjects, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        return store.ListAsync(allProjects && context.IsAdmin ? null : projectId, cancellationToken);
    }

    public async Task<ServerGroup> GetAsync(RequestContext context, string uuid, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        var group = await store.FindAsync(uuid, cancellationToken).ConfigureAwait(false);
        return group is not null && (group.ProjectId == projectId || context.IsAdmin)
            ? group
            : throw CloudException.NotFound($"Instance group {uuid} could not be found.");
    }

    public async Task DeleteAsync(RequestContext context, string uuid, CancellationToken cancellationToken)
    {
        var group = await GetAsync(context, uuid, cancellationToken).ConfigureAwait(false);
        if (!await store.DeleteAsync(group.Id, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"Instance group {uuid} could not be found.");
        }
    }

    /// <summary>The live members of each group, by group id, in the order they joined.</summary>
    public async Task<ILookup<long, string>> MembersAsync(IReadOnlyCollection<ServerGroup> groups, CancellationToken cancellationToken) =>
        (await store.LiveMembersAsync([.. groups.Select(g => g.Id)], cancellationToken).ConfigureAwait(false)).ToLookup(m => m.GroupId, m => m.InstanceUuid);

    /// <summary>The groups the instance belongs to (microversion 2.71 shows their ids on the server).</summary>
    public Task<IReadOnlyList<ServerGroup>> OfInstanceAsync(string instanceUuid, CancellationToken cancellationToken) =>
        store.OfInstanceAsync(instanceUuid, cancellationToken);

    /// <summary>
    /// The group <paramref name="uuid"/> that <paramref name="count"/> new instances of the caller's project will join: 400 when the
    /// project has no such group (nova's scheduler hint check), 403 when the group would pass the member quota.
    /// </summary>
    public async Task<ServerGroup> JoinableAsync(RequestContext context, string uuid, int count, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        var group = await store.FindAsync(uuid, cancellationToken).ConfigureAwait(false);
        if (group is null || group.ProjectId != projectId)
        {
            throw CloudException.Invalid($"Instance group {uuid} could not be found.");
        }
        var limits = await quotas.LimitsAsync(projectId, cancellationToken).ConfigureAwait(false);
        var members = (await store.LiveMembersAsync([group.Id], cancellationToken).ConfigureAwait(false)).Count;
        if (Limit(limits, ServerGroupQuotas.Members) is { } limit && members + count > limit)
        {
            throw CloudException.Forbidden("Quota exceeded, too many servers in group");
        }
        return group;
    }

    /// <summary>The policy of the group the instances joined and where its other live members run; null when they joined none.</summary>
    public async Task<GroupPlacement?> PlacementAsync(IReadOnlyCollection<string> instanceUuids, CancellationToken cancellationToken)
    {
        if (instanceUuids.Count == 0 || (await store.OfInstanceAsync(instanceUuids.First(), cancellationToken).ConfigureAwait(false)).FirstOrDefault() is not { } group)
        {
            return null;
        }
        var others = (await store.LiveMembersAsync([group.Id], cancellationToken).ConfigureAwait(false))
            .Where(m => m.Host is not null && !instanceUuids.Contains(m.InstanceUuid));
        return new GroupPlacement(group.Uuid, group.Policy, group.MaxServerPerHost ?? 1,
            others.GroupBy(m => m.Host!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
    }

    private static long? Limit(IReadOnlyDictionary<string, long> limits, string resource) =>
        limits.TryGetValue(resource, out var limit) && limit >= 0 ? limit : null;
}
