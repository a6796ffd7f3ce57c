using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Compute;

/// <summary>
/// A project's security groups and their ingress rules. Every project gets a <c>default</c> group the first time
/// it lists groups or runs an instance; <c>default</c> cannot be deleted, nor a group instances still use. A rule added
/// or removed, or an instance joining or leaving a group, is sent to every compute host by fanout, which enforce it.
/// </summary>
public sealed class SecurityGroupApi(SecurityGroupStore store, ComputeQuotas quotas, ComputeRpcClient compute)
{
    public const string DefaultGroup = "default";

    /// <summary>The caller's groups with their rules; an admin with <paramref name="allProjects"/> sees every project's.</summary>
    public async Task<IReadOnlyList<SecurityGroup>> ListAsync(RequestContext context, bool allProjects, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        await EnsureDefaultAsync(context, cancellationToken).ConfigureAwait(false);
        return await store.ListAsync(allProjects && context.IsAdmin ? null : projectId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A group of the caller's project by name, or by id (a group of another project is not found, admins excepted).</summary>
    public async Task<SecurityGroup> GetAsync(RequestContext context, string idOrName, CancellationToken cancellationToken)
    {
        await EnsureDefaultIfNamedAsync(context, idOrName, cancellationToken).ConfigureAwait(false);
        var group = await FindAsync(context, idOrName, null, cancellationToken).ConfigureAwait(false);
        await store.FillRulesAsync([group], cancellationToken).ConfigureAwait(false);
        return group;
    }

    public async Task<SecurityGroup> CreateAsync(RequestContext context, string name, string description, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 255 || (description ?? "").Length > 255)
        {
            throw CloudException.Invalid("Security group name must be 1 to 255 characters, its description at most 255.");
        }
        if (name.Any(char.IsControl) || (description ?? "").Any(char.IsControl))
        {
            throw CloudException.Invalid("Security group name and description must not contain control characters.");
        }
        var limits = await quotas.LimitsAsync(projectId, cancellationToken).ConfigureAwait(false);
        await EnsureDefaultAsync(context, cancellationToken).ConfigureAwait(false);
        return await store.InsertAsync(projectId, context.UserId, name, description ?? "",
            used => ComputeQuotas.Check("security_groups", limits, requested: 1, used), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renames and redescribes a group of the caller's project (the API validated both); returns it as it now is.</summary>
    public async Task<SecurityGroup> UpdateAsync(RequestContext context, string idOrName, string name, string description, CancellationToken cancellationToken)
    {
        var group = await FindAsync(context, idOrName, null, cancellationToken).ConfigureAwait(false);
        if (group.Name == DefaultGroup && name != DefaultGroup)
        {
            throw CloudException.Invalid("Unable to update system group 'default'");
        }
        await store.UpdateAsync(group.Id, name, description, cancellationToken).ConfigureAwait(false);
        return await FindAsync(context, group.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), group.ProjectId, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(RequestContext context, string idOrName, CancellationToken cancellationToken)
    {
        var group = await FindAsync(context, idOrName, null, cancellationToken).ConfigureAwait(false);
        if (group.Name == DefaultGroup)
        {
            throw CloudException.Invalid("Unable to delete system group 'default'.");
        }
        if (!await store.DeleteAsync(group.Id, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Conflict($"Security group {group.Name} is in use by instances.");
        }
    }

    /// <summary>Adds an ingress rule to a group of the caller's project (Invalid for a bad rule, Conflict for a duplicate).</summary>
    public async Task<SecurityGroupRule> AddRuleAsync(RequestContext context, string groupIdOrName, SecurityGroupRuleSpec spec, CancellationToken cancellationToken)
    {
        var rule = spec.Validated();
        await EnsureDefaultIfNamedAsync(context, groupIdOrName, cancellationToken).ConfigureAwait(false);
        var group = await FindAsync(context, groupIdOrName, null, cancellationToken).ConfigureAwait(false);
        var sourceId = await SourceGroupIdAsync(context, rule, group, cancellationToken).ConfigureAwait(false);
        var added = await store.AddRuleAsync(group.Id, rule, sourceId, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.Conflict($"This rule already exists in group {group.Name}.");
        await compute.RefreshSecurityGroupRulesAsync(context, group.Id, cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>Removes the rule of a group that matches <paramref name="spec"/> (EC2's RevokeSecurityGroupIngress).</summary>
    public async Task RevokeRuleAsync(RequestContext context, string groupIdOrName, SecurityGroupRuleSpec spec, CancellationToken cancellationToken)
    {
        var rule = spec.Validated();
        var group = await GetAsync(context, groupIdOrName, cancellationToken).ConfigureAwait(false);
        var sourceId = await SourceGroupIdAsync(context, rule, group, cancellationToken).ConfigureAwait(false);
        var match = group.Rules.FirstOrDefault(r => rule.Matches(r, sourceId))
            ?? throw CloudException.NotFound($"No rule for the specified parameters in group {group.Name}.");
        await store.DeleteRuleAsync(match.Id, cancellationToken).ConfigureAwait(false);
        await compute.RefreshSecurityGroupRulesAsync(context, group.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a rule by id (the OpenStack API's DELETE /os-security-group-rules/{id}).</summary>
    public async Task DeleteRuleAsync(RequestContext context, long ruleId, CancellationToken cancellationToken)
    {
        var rule = await store.FindRuleAsync(ruleId, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Security group rule {ruleId} not found.");
        await FindAsync(context, rule.ParentGroupId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, cancellationToken).ConfigureAwait(false);
        await store.DeleteRuleAsync(rule.Id, cancellationToken).ConfigureAwait(false);
        await compute.RefreshSecurityGroupRulesAsync(context, rule.ParentGroupId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes the (caller's, live) instance a member of its project's group <paramref name="groupName"/> (nova's
    /// addSecurityGroup): NotFound for no such group, Invalid when it is a member already.
    /// </summary>
    public async Task AddToInstanceAsync(RequestContext context, Instance instance, string groupName, CancellationToken cancellationToken)
    {
        var group = await MembershipGroupAsync(context, instance, groupName, cancellationToken).ConfigureAwait(false);
        if (!await store.AddInstanceAsync(instance.Uuid, group.Id, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Invalid($"Security group {groupName} is already associated with the instance {instance.Uuid}");
        }
        await RefreshMembershipAsync(context, instance, group, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the instance's membership of its project's group (nova's removeSecurityGroup): NotFound, or Invalid when it is no member.</summary>
    public async Task RemoveFromInstanceAsync(RequestContext context, Instance instance, string groupName, CancellationToken cancellationToken)
    {
        var group = await MembershipGroupAsync(context, instance, groupName, cancellationToken).ConfigureAwait(false);
        if (!await store.RemoveInstanceAsync(instance.Uuid, group.Id, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Invalid($"Security group {groupName} not associated with the instance {instance.Uuid}");
        }
        await RefreshMembershipAsync(context, instance, group, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The groups of the (caller's) instance with their rules (nova's GET /servers/{id}/os-security-groups).</summary>
    public async Task<IReadOnlyList<SecurityGroup>> OfInstanceAsync(Instance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var found = new List<SecurityGroup>();
        foreach (var id in (await store.GroupIdsOfAsync([instance.Uuid], cancellationToken).ConfigureAwait(false))[instance.Uuid])
        {
            if (await store.FindByIdAsync(id, cancellationToken).ConfigureAwait(false) is { } group)
            {
                found.Add(group);
            }
        }
        await store.FillRulesAsync(found, cancellationToken).ConfigureAwait(false);
        return [.. found.OrderBy(g => g.Name, StringComparer.Ordinal)];
    }

    private async Task<SecurityGroup> MembershipGroupAsync(RequestContext context, Instance instance, string groupName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (string.IsNullOrWhiteSpace(groupName))
        {
            throw CloudException.Invalid("Security group name cannot be empty");
        }
        await EnsureDefaultIfNamedAsync(context, groupName, cancellationToken).ConfigureAwait(false);
        // By name, as nova; openstackclient sends the group's id in "name", which nova's neutron driver accepts too.
        try
        {
            return await FindAsync(context, groupName, instance.ProjectId, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            throw CloudException.NotFound($"Security group {groupName} is not found for project {context.ProjectId}");
        }
    }

    /// <summary>Rules naming the group as source change on every host; the instance's own chain on its host.</summary>
    private async Task RefreshMembershipAsync(RequestContext context, Instance instance, SecurityGroup group, CancellationToken cancellationToken)
    {
        await compute.RefreshSecurityGroupMembersAsync(context, group.Id, cancellationToken).ConfigureAwait(false);
        if (instance.Host is { Length: > 0 } host)
        {
            await compute.RefreshInstanceSecurityRulesAsync(context, host, instance.Uuid, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the project's <c>default</c> group if it has none yet (racing creators are fine: the name is unique).</summary>
    public Task EnsureDefaultAsync(RequestContext context, CancellationToken cancellationToken) => DefaultOfAsync(context, cancellationToken);

    /// <summary>The project's <c>default</c> group, created first if it has none yet (one read when it exists).</summary>
    private async Task<SecurityGroup> DefaultOfAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        if (await store.FindByNameAsync(projectId, DefaultGroup, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }
        try
        {
            return await store.InsertAsync(projectId, context.UserId, DefaultGroup, "default", checkCount: null, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.Conflict)
        {
            return await FindAsync(context, DefaultGroup, projectId, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task EnsureDefaultIfNamedAsync(RequestContext context, string idOrName, CancellationToken cancellationToken) =>
        idOrName == DefaultGroup ? EnsureDefaultAsync(context, cancellationToken) : Task.CompletedTask;

    /// <summary>The ids of the named groups of the caller's project, for a new instance (NotFound names the missing one).</summary>
    internal async Task<IReadOnlyList<SecurityGroup>> ResolveAsync(RequestContext context, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        // The default group as ensured is the one named "default": not read a second time (a create's round trips).
        var defaultGroup = await DefaultOfAsync(context, cancellationToken).ConfigureAwait(false);
        var groups = new List<SecurityGroup>();
        foreach (var name in names.Count == 0 ? [DefaultGroup] : names.Distinct(StringComparer.Ordinal))
        {
            groups.Add(name == DefaultGroup ? defaultGroup : await FindAsync(context, name, projectId, cancellationToken).ConfigureAwait(false));
        }
        return groups;
    }

    /// <summary>By name in <paramref name="projectId"/> (default: the caller's), else by numeric id; other projects' groups stay hidden from members.</summary>
    private async Task<SecurityGroup> FindAsync(RequestContext context, string idOrName, string? projectId, CancellationToken cancellationToken)
    {
        var project = projectId ?? Policy.RequireScoped(context);
        var group = await store.FindByNameAsync(project, idOrName, cancellationToken).ConfigureAwait(false);
        if (group is null && long.TryParse(idOrName, out var id))
        {
            group = await store.FindByIdAsync(id, cancellationToken).ConfigureAwait(false);
        }
        if (group is null || (group.ProjectId != project && !context.IsAdmin))
        {
            throw CloudException.NotFound($"Security group {idOrName} not found.");
        }
        return group;
    }

    /// <summary>The id of the rule's source group, looked up in <paramref name="group"/>'s project; null for a CIDR rule.</summary>
    private async Task<long?> SourceGroupIdAsync(RequestContext context, SecurityGroupRuleSpec rule, SecurityGroup group, CancellationToken cancellationToken) =>
        rule.SourceGroupName is null ? null
            : (await FindAsync(context, rule.SourceGroupName, group.ProjectId, cancellationToken).ConfigureAwait(false)).Id;
}
