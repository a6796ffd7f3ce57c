using Cloud.Modules.Identity.Db;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Identity;

/// <summary>
/// Role assignments (grants of roles to users and groups on projects, domains and the system) and what they add up to:
/// a user's effective roles in a project, a domain or the system, with group membership, inheritance and implied roles
/// applied. Taking a role away revokes the tokens that carried it.
/// </summary>
public sealed class AssignmentApi(AssignmentStore store, IdentityStore identities, RoleApi roles, TokenRevocations revocations)
{
    /// <summary>Grants the assignment (idempotent); 404 when its role does not exist. The caller checks the actor and target.</summary>
    public async Task GrantAsync(RoleAssignment assignment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        await roles.GetAsync(assignment.RoleId, cancellationToken).ConfigureAwait(false);
        await store.InsertAsync(assignment, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> ExistsAsync(RoleAssignment assignment, CancellationToken cancellationToken) => store.ExistsAsync(assignment, cancellationToken);

    /// <summary>Revokes the assignment and the tokens of every user it reached; Keystone's 404 when there was none.</summary>
    public async Task RevokeAsync(RoleAssignment assignment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (!await store.DeleteAsync(assignment, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"Could not find role assignment with role: {assignment.RoleId}, {(assignment.IsGroup ? "group" : "user")}: {assignment.ActorId}, "
                + $"{Target(assignment)}: {assignment.TargetId}.");
        }
        await RevokeTokensOfAsync(assignment.IsGroup ? null : assignment.ActorId, assignment.IsGroup ? assignment.ActorId : null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes every role the user holds on the project directly, with their tokens; false when they held none.</summary>
    public async Task<bool> RemoveUserFromProjectAsync(string userId, string projectId, CancellationToken cancellationToken)
    {
        if (!await store.DeleteUserProjectAsync(userId, projectId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        await RevokeTokensOfAsync(userId, null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Ends the tokens of the user, or of every member of the group (their roles changed).</summary>
    public async Task RevokeTokensOfAsync(string? userId, string? groupId, CancellationToken cancellationToken)
    {
        var users = groupId is null ? [] : await store.UserIdsOfGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
        foreach (var user in userId is null ? users : [.. users, userId])
        {
            await revocations.RevokeAsync(TokenRevocations.UserKind, user, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The user's effective roles in the project: granted to them or their groups on it, inherited from its domain or
    /// ancestors, and for a cloud administrator (admin on the system) admin as well, with every implied role; empty when
    /// they have none or the project does not exist.
    /// </summary>
    public async Task<IReadOnlyList<Role>> ProjectRolesAsync(string userId, string projectId, CancellationToken cancellationToken)
    {
        var project = await identities.FindProjectByIdAsync(projectId, cancellationToken).ConfigureAwait(false);
        if (project is null)
        {
            return [];
        }
        var rows = await RowsOfUserAsync(userId, cancellationToken).ConfigureAwait(false);
        var ancestors = await AncestorsAsync(project, cancellationToken).ConfigureAwait(false);
        var ids = rows.Where(r =>
                (r.OnProject && r.TargetId == project.Id && !r.Inherited)
                || (r.OnProject && r.Inherited && ancestors.Contains(r.TargetId))
                || (r.OnDomain && r.Inherited && r.TargetId == project.DomainId)
                || (r.OnSystem && r.RoleId == Roles.AdminId))
            .Select(r => r.RoleId);
        return await roles.ExpandAsync(ids, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user's effective roles on the domain (granted to them or their groups on it, not inherited ones), with implied roles.</summary>
    public async Task<IReadOnlyList<Role>> DomainRolesAsync(string userId, string domainId, CancellationToken cancellationToken)
    {
        var rows = await RowsOfUserAsync(userId, cancellationToken).ConfigureAwait(false);
        return await roles.ExpandAsync(rows.Where(r => r.OnDomain && !r.Inherited && r.TargetId == domainId).Select(r => r.RoleId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user's effective roles on the system, with implied roles.</summary>
    public async Task<IReadOnlyList<Role>> SystemRolesAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await RowsOfUserAsync(userId, cancellationToken).ConfigureAwait(false);
        return await roles.ExpandAsync(rows.Where(r => r.OnSystem).Select(r => r.RoleId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The projects the user holds some role in (through their groups and inheritance too): those they can scope a token to.</summary>
    public async Task<IReadOnlyList<Project>> ProjectsOfUserAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await RowsOfUserAsync(userId, cancellationToken).ConfigureAwait(false);
        var ids = rows.Where(r => r.OnProject && !r.Inherited).Select(r => r.TargetId).ToHashSet(StringComparer.Ordinal);
        foreach (var domain in rows.Where(r => r.OnDomain && r.Inherited).Select(r => r.TargetId).Distinct())
        {
            ids.UnionWith((await identities.ProjectsInDomainAsync(domain, cancellationToken).ConfigureAwait(false)).Select(p => p.Id));
        }
        foreach (var parent in rows.Where(r => r.OnProject && r.Inherited).Select(r => r.TargetId).Distinct())
        {
            ids.UnionWith(await SubtreeAsync(parent, false, cancellationToken).ConfigureAwait(false));
        }
        return await identities.ProjectsByIdsAsync(ids, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The assignments matching <paramref name="query"/> (Keystone's <c>GET /v3/role_assignments</c>).</summary>
    public async Task<IReadOnlyList<EffectiveAssignment>> ListAsync(AssignmentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        IEnumerable<EffectiveAssignment> rows = (await store.AssignmentsAsync(cancellationToken).ConfigureAwait(false)).Select(a => new EffectiveAssignment(a));
        if (query.Effective)
        {
            rows = await EffectiveAsync([.. rows], cancellationToken).ConfigureAwait(false);
        }
        var projects = query.ProjectId is null ? null
            : query.IncludeSubtree ? await SubtreeAsync(query.ProjectId, true, cancellationToken).ConfigureAwait(false)
            : [query.ProjectId];
        return [.. rows.Where(e =>
        {
            var a = e.Assignment;
            return (query.UserId is null || (!a.IsGroup && a.ActorId == query.UserId))
                && (query.GroupId is null || (a.IsGroup && a.ActorId == query.GroupId))
                && (query.RoleId is null || a.RoleId == query.RoleId)
                && (projects is null || (a.OnProject && projects.Contains(a.TargetId)))
                && (query.DomainId is null || (a.OnDomain && a.TargetId == query.DomainId))
                && (!query.System || a.OnSystem);
        })];
    }

    /// <summary>Groups replaced by their members, inherited assignments by the projects they reach, and implied roles added.</summary>
    private async Task<IReadOnlyList<EffectiveAssignment>> EffectiveAsync(IReadOnlyList<EffectiveAssignment> rows, CancellationToken cancellationToken)
    {
        var users = new List<EffectiveAssignment>();
        foreach (var row in rows)
        {
            var a = row.Assignment;
            var actors = a.IsGroup
                ? (await store.UserIdsOfGroupAsync(a.ActorId, cancellationToken).ConfigureAwait(false)).Select(u => (User: u, Group: (string?)a.ActorId))
                : [(a.ActorId, null)];
            IReadOnlyCollection<string> targets = !a.Inherited ? [a.TargetId]
                : a.OnDomain ? [.. (await identities.ProjectsInDomainAsync(a.TargetId, cancellationToken).ConfigureAwait(false)).Select(p => p.Id)]
                : a.OnProject ? await SubtreeAsync(a.TargetId, false, cancellationToken).ConfigureAwait(false)
                : [];
            var type = a.Inherited ? RoleAssignment.UserProject : RoleAssignment.TypeOf(false, Target(a));
            foreach (var (user, group) in actors)
            {
                users.AddRange(targets.Select(t => new EffectiveAssignment(new RoleAssignment(type, user, t, a.RoleId, false), group, null, a.Inherited ? a.TargetId : null)));
            }
        }
        var pairs = await roles.ImplicationsAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<EffectiveAssignment>(users);
        foreach (var row in users)
        {
            foreach (var implied in RoleApi.Closure([row.Assignment.RoleId], pairs).Where(id => id != row.Assignment.RoleId))
            {
                result.Add(row with { Assignment = row.Assignment with { RoleId = implied }, PriorRoleId = row.Assignment.RoleId });
            }
        }
        return [.. result.DistinctBy(r => r.Assignment)];
    }

    private async Task<IReadOnlyList<RoleAssignment>> RowsOfUserAsync(string userId, CancellationToken cancellationToken)
    {
        var groups = await store.GroupIdsOfUserAsync(userId, cancellationToken).ConfigureAwait(false);
        return await store.AssignmentsOfAsync([userId, .. groups], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The project's ancestors' ids (its parent first); a depth limit guards against a corrupted cycle.</summary>
    private async Task<HashSet<string>> AncestorsAsync(Project project, CancellationToken cancellationToken)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var parent = project.ParentId;
        while (parent is not null && result.Count < MaxDepth && result.Add(parent))
        {
            parent = (await identities.FindProjectByIdAsync(parent, cancellationToken).ConfigureAwait(false))?.ParentId;
        }
        return result;
    }

    /// <summary>The ids of the project's descendants, and of the project itself when <paramref name="withRoot"/>.</summary>
    private async Task<HashSet<string>> SubtreeAsync(string projectId, bool withRoot, CancellationToken cancellationToken)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<(string Id, int Depth)>([(projectId, 0)]);
        while (pending.TryDequeue(out var next))
        {
            if (next.Depth >= MaxDepth)
            {
                continue;
            }
            foreach (var child in await identities.ChildProjectsAsync(next.Id, cancellationToken).ConfigureAwait(false))
            {
                if (result.Add(child.Id))
                {
                    pending.Enqueue((child.Id, next.Depth + 1));
                }
            }
        }
        if (withRoot)
        {
            result.Add(projectId);
        }
        return result;
    }

    /// <summary>Keystone's default <c>max_project_tree_depth</c>.</summary>
    public const int MaxDepth = 5;

    private static string Target(RoleAssignment a) => a.OnProject ? "project" : a.OnDomain ? "domain" : "system";
}
