using System.Data.Common;
using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute;

/// <summary>
/// A project's security groups and their ingress rules. Every project gets a <c>default</c> group the first time
/// it lists groups or runs an instance; <c>default</c> cannot be deleted, nor a group instances still use.
/// </summary>
public sealed class SecurityGroupApi(IDbConnectionFactory db, ComputeQuotas quotas, TimeProvider clock)
{
    public const string DefaultGroup = "default";

    /// <summary>The caller's groups with their rules; an admin with <paramref name="allProjects"/> sees every project's.</summary>
    public async Task<IReadOnlyList<SecurityGroup>> ListAsync(RequestContext context, bool allProjects, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        await EnsureDefaultAsync(context, cancellationToken).ConfigureAwait(false);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var groups = (allProjects && context.IsAdmin
            ? await c.QueryAsync<SecurityGroup>(Cmd(SecurityGroupQueries.All, null, cancellationToken)).ConfigureAwait(false)
            : await c.QueryAsync<SecurityGroup>(Cmd(SecurityGroupQueries.ByProject, new { ProjectId = projectId }, cancellationToken)).ConfigureAwait(false)).AsList();
        await FillRulesAsync(c, groups, cancellationToken).ConfigureAwait(false);
        return groups;
    }

    /// <summary>A group of the caller's project by name, or by id (a group of another project is not found, admins excepted).</summary>
    public async Task<SecurityGroup> GetAsync(RequestContext context, string idOrName, CancellationToken cancellationToken)
    {
        await EnsureDefaultIfNamedAsync(context, idOrName, cancellationToken).ConfigureAwait(false);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var group = await FindAsync(c, context, idOrName, null, cancellationToken).ConfigureAwait(false);
        await FillRulesAsync(c, [group], cancellationToken).ConfigureAwait(false);
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
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var used = await c.ExecuteScalarAsync<long>(Cmd(SecurityGroupQueries.Count, new { ProjectId = projectId }, cancellationToken, t)).ConfigureAwait(false);
        ComputeQuotas.Check("security_groups", limits, requested: 1, used);
        var group = await InsertAsync(c, t, context, projectId, name, description ?? "", cancellationToken).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return group;
    }

    public async Task DeleteAsync(RequestContext context, string idOrName, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var group = await FindAsync(c, context, idOrName, null, cancellationToken).ConfigureAwait(false);
        if (group.Name == DefaultGroup)
        {
            throw CloudException.Invalid("Unable to delete system group 'default'.");
        }
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteScalarAsync<long>(Cmd(SecurityGroupQueries.InUse, new { group.Id }, cancellationToken, t)).ConfigureAwait(false) > 0)
        {
            throw CloudException.Conflict($"Security group {group.Name} is in use by instances.");
        }
        await c.ExecuteAsync(Cmd(SecurityGroupQueries.DeleteRulesOf, new { group.Id }, cancellationToken, t)).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(SecurityGroupQueries.Delete, new { group.Id }, cancellationToken, t)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds an ingress rule to a group of the caller's project (Invalid for a bad rule, Conflict for a duplicate).</summary>
    public async Task<SecurityGroupRule> AddRuleAsync(RequestContext context, string groupIdOrName, SecurityGroupRuleSpec spec, CancellationToken cancellationToken)
    {
        var rule = spec.Validated();
        await EnsureDefaultIfNamedAsync(context, groupIdOrName, cancellationToken).ConfigureAwait(false);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var group = await FindAsync(c, context, groupIdOrName, null, cancellationToken).ConfigureAwait(false);
        var sourceId = rule.SourceGroupName is null ? (long?)null
            : (await FindAsync(c, context, rule.SourceGroupName, group.ProjectId, cancellationToken).ConfigureAwait(false)).Id;
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var existing = await c.QueryAsync<SecurityGroupRule>(Cmd(SecurityGroupQueries.RulesOf, new { GroupIds = new[] { group.Id } }, cancellationToken, t)).ConfigureAwait(false);
        if (existing.Any(r => rule.Matches(r, sourceId)))
        {
            throw CloudException.Conflict($"This rule already exists in group {group.Name}.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var args = new { ParentGroupId = group.Id, rule.Protocol, rule.FromPort, rule.ToPort, rule.Cidr, GroupId = sourceId, Now = now };
        await c.ExecuteAsync(Cmd(SecurityGroupQueries.InsertRule, args, cancellationToken, t)).ConfigureAwait(false);
        var added = (await c.QueryAsync<SecurityGroupRule>(Cmd(SecurityGroupQueries.RulesOf, new { GroupIds = new[] { group.Id } }, cancellationToken, t)).ConfigureAwait(false))
            .Last(r => rule.Matches(r, sourceId));
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>Removes the rule of a group that matches <paramref name="spec"/> (EC2's RevokeSecurityGroupIngress).</summary>
    public async Task RevokeRuleAsync(RequestContext context, string groupIdOrName, SecurityGroupRuleSpec spec, CancellationToken cancellationToken)
    {
        var rule = spec.Validated();
        var group = await GetAsync(context, groupIdOrName, cancellationToken).ConfigureAwait(false);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var sourceId = rule.SourceGroupName is null ? (long?)null
            : (await FindAsync(c, context, rule.SourceGroupName, group.ProjectId, cancellationToken).ConfigureAwait(false)).Id;
        var match = group.Rules.FirstOrDefault(r => rule.Matches(r, sourceId))
            ?? throw CloudException.NotFound($"No rule for the specified parameters in group {group.Name}.");
        await c.ExecuteAsync(Cmd(SecurityGroupQueries.DeleteRule, new { match.Id }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Removes a rule by id (the OpenStack API's DELETE /os-security-group-rules/{id}).</summary>
    public async Task DeleteRuleAsync(RequestContext context, long ruleId, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rule = await c.QuerySingleOrDefaultAsync<SecurityGroupRule>(Cmd(SecurityGroupQueries.RuleById, new { Id = ruleId }, cancellationToken)).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Security group rule {ruleId} not found.");
        await FindAsync(c, context, rule.ParentGroupId.ToString(System.Globalization.CultureInfo.InvariantCulture), null, cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(SecurityGroupQueries.DeleteRule, new { rule.Id }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Creates the project's <c>default</c> group if it has none yet (racing creators are fine: the name is unique).</summary>
    public async Task EnsureDefaultAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await c.QuerySingleOrDefaultAsync<SecurityGroup>(Cmd(SecurityGroupQueries.ByName, new { ProjectId = projectId, Name = DefaultGroup }, cancellationToken)).ConfigureAwait(false) is not null)
        {
            return;
        }
        try
        {
            await InsertAsync(c, null, context, projectId, DefaultGroup, "default", cancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.Conflict)
        {
        }
    }

    private Task EnsureDefaultIfNamedAsync(RequestContext context, string idOrName, CancellationToken cancellationToken) =>
        idOrName == DefaultGroup ? EnsureDefaultAsync(context, cancellationToken) : Task.CompletedTask;

    /// <summary>The ids of the named groups of the caller's project, for a new instance (NotFound names the missing one).</summary>
    internal async Task<IReadOnlyList<SecurityGroup>> ResolveAsync(RequestContext context, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var projectId = Policy.RequireScoped(context);
        await EnsureDefaultAsync(context, cancellationToken).ConfigureAwait(false);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var groups = new List<SecurityGroup>();
        foreach (var name in names.Count == 0 ? [DefaultGroup] : names.Distinct(StringComparer.Ordinal))
        {
            groups.Add(await FindAsync(c, context, name, projectId, cancellationToken).ConfigureAwait(false));
        }
        return groups;
    }

    private async Task<SecurityGroup> InsertAsync(DbConnection c, DbTransaction? t, RequestContext context, string projectId, string name, string description, CancellationToken cancellationToken)
    {
        try
        {
            await c.ExecuteAsync(Cmd(SecurityGroupQueries.Insert, new { ProjectId = projectId, context.UserId, Name = name, Description = description, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken, t)).ConfigureAwait(false);
        }
        catch (DbException)
        {
            throw CloudException.Conflict($"Security group {name} already exists.");
        }
        return await c.QuerySingleAsync<SecurityGroup>(Cmd(SecurityGroupQueries.ByName, new { ProjectId = projectId, Name = name }, cancellationToken, t)).ConfigureAwait(false);
    }

    /// <summary>By name in <paramref name="projectId"/> (default: the caller's), else by numeric id; other projects' groups stay hidden from members.</summary>
    private static async Task<SecurityGroup> FindAsync(DbConnection c, RequestContext context, string idOrName, string? projectId, CancellationToken cancellationToken)
    {
        var project = projectId ?? Policy.RequireScoped(context);
        var group = await c.QuerySingleOrDefaultAsync<SecurityGroup>(Cmd(SecurityGroupQueries.ByName, new { ProjectId = project, Name = idOrName }, cancellationToken)).ConfigureAwait(false);
        if (group is null && long.TryParse(idOrName, out var id))
        {
            group = await c.QuerySingleOrDefaultAsync<SecurityGroup>(Cmd(SecurityGroupQueries.ById, new { Id = id }, cancellationToken)).ConfigureAwait(false);
        }
        if (group is null || (group.ProjectId != project && !context.IsAdmin))
        {
            throw CloudException.NotFound($"Security group {idOrName} not found.");
        }
        return group;
    }

    private static async Task FillRulesAsync(DbConnection c, IReadOnlyList<SecurityGroup> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            return;
        }
        var rules = (await c.QueryAsync<SecurityGroupRule>(Cmd(SecurityGroupQueries.RulesOf, new { GroupIds = groups.Select(g => g.Id).ToArray() }, cancellationToken)).ConfigureAwait(false))
            .ToLookup(r => r.ParentGroupId);
        foreach (var group in groups)
        {
            group.Rules = [.. rules[group.Id]];
        }
    }
}
