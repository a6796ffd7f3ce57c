using System.Data.Common;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute.Db;

/// <summary>Runs the SQL of security groups and their rules for <see cref="SecurityGroupApi"/>.</summary>
public sealed class SecurityGroupStore(IDbConnectionFactory db, TimeProvider clock)
{
    /// <summary>The <c>quota_locks</c> scope of security groups.</summary>
    public const string QuotaScope = "security_groups";

    /// <summary>The groups of <paramref name="projectId"/> (of every project when null), with their rules.</summary>
    public async Task<IReadOnlyList<SecurityGroup>> ListAsync(string? projectId, CancellationToken cancellationToken)
    {
        var groups = projectId is null
            ? await db.QueryListAsync<SecurityGroup>(SecurityGroupQueries.All, null, cancellationToken).ConfigureAwait(false)
            : await db.QueryListAsync<SecurityGroup>(SecurityGroupQueries.ByProject, new { ProjectId = projectId }, cancellationToken).ConfigureAwait(false);
        await FillRulesAsync(groups, cancellationToken).ConfigureAwait(false);
        return groups;
    }

    public Task<SecurityGroup?> FindByNameAsync(string projectId, string name, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<SecurityGroup>(SecurityGroupQueries.ByName, new { ProjectId = projectId, Name = name }, cancellationToken);

    public Task<SecurityGroup?> FindByIdAsync(long id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<SecurityGroup>(SecurityGroupQueries.ById, new { Id = id }, cancellationToken);

    /// <summary>Sets each group's <see cref="SecurityGroup.Rules"/> from the database.</summary>
    public async Task FillRulesAsync(IReadOnlyList<SecurityGroup> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            return;
        }
        var rules = (await db.QueryListAsync<SecurityGroupRule>(SecurityGroupQueries.RulesOf, new { GroupIds = groups.Select(g => g.Id).ToArray() }, cancellationToken).ConfigureAwait(false))
            .ToLookup(r => r.ParentGroupId);
        foreach (var group in groups)
        {
            group.Rules = [.. rules[group.Id]];
        }
    }

    /// <summary>
    /// Inserts a group (Conflict when the project has one of that name) and returns it as stored; with
    /// <paramref name="checkCount"/>, that is first given the project's number of groups in the same transaction.
    /// </summary>
    public async Task<SecurityGroup> InsertAsync(string projectId, string? userId, string name, string description, Action<long>? checkCount, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = checkCount is null ? null : await QuotaLocks.BeginHeldAsync(c, db.Dialect, projectId, QuotaScope, cancellationToken).ConfigureAwait(false);
        if (checkCount is not null)
        {
            checkCount(await c.ExecuteScalarAsync<long>(Cmd(SecurityGroupQueries.Count, new { ProjectId = projectId }, cancellationToken, t)).ConfigureAwait(false));
        }
        try
        {
            await c.ExecuteAsync(Cmd(SecurityGroupQueries.Insert, new { ProjectId = projectId, UserId = userId, Name = name, Description = description, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken, t)).ConfigureAwait(false);
        }
        catch (DbException)
        {
            throw CloudException.Conflict($"Security group {name} already exists.");
        }
        var group = await c.QuerySingleAsync<SecurityGroup>(Cmd(SecurityGroupQueries.ByName, new { ProjectId = projectId, Name = name }, cancellationToken, t)).ConfigureAwait(false);
        if (t is not null)
        {
            await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        return group;
    }

    /// <summary>Renames and redescribes a group (Conflict when the project has another group of that name).</summary>
    public async Task UpdateAsync(long groupId, string name, string description, CancellationToken cancellationToken)
    {
        try
        {
            await db.ExecuteAsync(SecurityGroupQueries.Update, new { Id = groupId, Name = name, Description = description }, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException)
        {
            throw CloudException.Conflict($"Security group {name} already exists.");
        }
    }

    /// <summary>Deletes the group with its rules and the rules naming it as source; false (nothing deleted) while live instances use it.</summary>
    public async Task<bool> DeleteAsync(long groupId, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteScalarAsync<long>(Cmd(SecurityGroupQueries.InUse, new { Id = groupId }, cancellationToken, t)).ConfigureAwait(false) > 0)
        {
            return false;
        }
        await c.ExecuteAsync(Cmd(SecurityGroupQueries.DeleteRulesOf, new { Id = groupId }, cancellationToken, t)).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(SecurityGroupQueries.Delete, new { Id = groupId }, cancellationToken, t)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Adds the (validated) rule to the group and returns it as stored; null (nothing added) when the group has that rule already.</summary>
    public async Task<SecurityGroupRule?> AddRuleAsync(long groupId, SecurityGroupRuleSpec rule, long? sourceGroupId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var existing = await c.QueryAsync<SecurityGroupRule>(Cmd(SecurityGroupQueries.RulesOf, new { GroupIds = new[] { groupId } }, cancellationToken, t)).ConfigureAwait(false);
        if (existing.Any(r => rule.Matches(r, sourceGroupId)))
        {
            return null;
        }
        var args = new { ParentGroupId = groupId, rule.Protocol, rule.FromPort, rule.ToPort, rule.Cidr, GroupId = sourceGroupId, Now = clock.GetUtcNow().UtcDateTime };
        await c.ExecuteAsync(Cmd(SecurityGroupQueries.InsertRule, args, cancellationToken, t)).ConfigureAwait(false);
        var added = (await c.QueryAsync<SecurityGroupRule>(Cmd(SecurityGroupQueries.RulesOf, new { GroupIds = new[] { groupId } }, cancellationToken, t)).ConfigureAwait(false))
            .Last(r => rule.Matches(r, sourceGroupId));
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    public Task<SecurityGroupRule?> FindRuleAsync(long ruleId, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<SecurityGroupRule>(SecurityGroupQueries.RuleById, new { Id = ruleId }, cancellationToken);

    public Task DeleteRuleAsync(long ruleId, CancellationToken cancellationToken) =>
        db.ExecuteAsync(SecurityGroupQueries.DeleteRule, new { Id = ruleId }, cancellationToken);

    /// <summary>The groups of each of the instances.</summary>
    public async Task<ILookup<string, long>> GroupIdsOfAsync(IReadOnlyCollection<string> instanceUuids, CancellationToken cancellationToken) =>
        instanceUuids.Count == 0 ? Array.Empty<GroupMember>().ToLookup(m => m.InstanceUuid, m => m.GroupId)
            : (await db.QueryListAsync<GroupMember>(SecurityGroupQueries.GroupsOfInstances, new { Uuids = instanceUuids.ToArray() }, cancellationToken).ConfigureAwait(false))
                .ToLookup(m => m.InstanceUuid, m => m.GroupId, StringComparer.Ordinal);

    /// <summary>The live (not deleted) instances of each of the groups.</summary>
    public async Task<ILookup<long, string>> LiveMembersAsync(IReadOnlyCollection<long> groupIds, CancellationToken cancellationToken) =>
        groupIds.Count == 0 ? Array.Empty<GroupMember>().ToLookup(m => m.GroupId, m => m.InstanceUuid)
            : (await db.QueryListAsync<GroupMember>(SecurityGroupQueries.LiveMembers, new { GroupIds = groupIds.ToArray() }, cancellationToken).ConfigureAwait(false))
                .ToLookup(m => m.GroupId, m => m.InstanceUuid);

    /// <summary>The rules of the groups, oldest first.</summary>
    public async Task<IReadOnlyList<SecurityGroupRule>> RulesOfAsync(IReadOnlyCollection<long> groupIds, CancellationToken cancellationToken) =>
        groupIds.Count == 0 ? []
            : await db.QueryListAsync<SecurityGroupRule>(SecurityGroupQueries.RulesOf, new { GroupIds = groupIds.ToArray() }, cancellationToken).ConfigureAwait(false);

    /// <summary>Makes the instance a member of the group; false (nothing changed) when it is one already.</summary>
    public async Task<bool> AddInstanceAsync(string instanceUuid, long groupId, CancellationToken cancellationToken)
    {
        try
        {
            return await db.ExecuteAsync(InstanceQueries.AddSecurityGroup, new { Uuid = instanceUuid, GroupId = groupId }, cancellationToken).ConfigureAwait(false) > 0;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>Ends the instance's membership of the group; false when it was not a member.</summary>
    public async Task<bool> RemoveInstanceAsync(string instanceUuid, long groupId, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(SecurityGroupQueries.RemoveInstance, new { Uuid = instanceUuid, GroupId = groupId }, cancellationToken).ConfigureAwait(false) > 0;

    private sealed class GroupMember
    {
        public string InstanceUuid { get; init; } = "";

        public long GroupId { get; init; }
    }
}
