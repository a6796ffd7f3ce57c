using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Identity.Db;

/// <summary>Runs the SQL of roles, implied roles, role assignments and group membership.</summary>
public sealed class AssignmentStore(IDbConnectionFactory db, TimeProvider clock)
{
    public Task<IReadOnlyList<Role>> RolesAsync(CancellationToken cancellationToken) => db.QueryListAsync<Role>(AssignmentQueries.AllRoles, null, cancellationToken);

    public Task<Role?> RoleByIdAsync(string id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Role>(AssignmentQueries.RoleById, new { Id = id }, cancellationToken);

    public Task<Role?> RoleByNameAsync(string name, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Role>(AssignmentQueries.RoleByName, new { Name = name }, cancellationToken);

    public Task InsertRoleAsync(Role role, CancellationToken cancellationToken) =>
        db.ExecuteAsync(AssignmentQueries.InsertRole, new { role.Id, role.Name, role.Description, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken);

    public Task UpdateRoleAsync(Role role, CancellationToken cancellationToken) =>
        db.ExecuteAsync(AssignmentQueries.UpdateRole, new { role.Id, role.Name, role.Description }, cancellationToken);

    /// <summary>Deletes the role with its assignments and implications, together.</summary>
    public Task DeleteRoleAsync(string id, CancellationToken cancellationToken) =>
        db.InTransactionAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, Sql.Cmd(AssignmentQueries.DeleteRole, new { Id = id }, cancellationToken, t)), cancellationToken);

    public async Task<IReadOnlyList<(string Prior, string Implied)>> ImpliedRolesAsync(CancellationToken cancellationToken) =>
        [.. (await db.QueryListAsync<ImpliedRow>(AssignmentQueries.ImpliedRoles, null, cancellationToken).ConfigureAwait(false)).Select(r => (r.PriorRoleId, r.ImpliedRoleId))];

    public Task InsertImpliedRoleAsync(string prior, string implied, CancellationToken cancellationToken) =>
        db.ExecuteAsync(AssignmentQueries.InsertImpliedRole, new { PriorRoleId = prior, ImpliedRoleId = implied }, cancellationToken);

    public async Task<bool> DeleteImpliedRoleAsync(string prior, string implied, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(AssignmentQueries.DeleteImpliedRole, new { PriorRoleId = prior, ImpliedRoleId = implied }, cancellationToken).ConfigureAwait(false) > 0;

    public async Task<IReadOnlyList<RoleAssignment>> AssignmentsAsync(CancellationToken cancellationToken) =>
        [.. (await db.QueryListAsync<AssignmentRow>(AssignmentQueries.Assignments, null, cancellationToken).ConfigureAwait(false)).Select(r => r.ToAssignment())];

    /// <summary>The assignments of these users and groups.</summary>
    public async Task<IReadOnlyList<RoleAssignment>> AssignmentsOfAsync(IReadOnlyCollection<string> actorIds, CancellationToken cancellationToken) =>
        [.. (await db.QueryListAsync<AssignmentRow>(AssignmentQueries.AssignmentsOfActors, new { Ids = actorIds }, cancellationToken).ConfigureAwait(false)).Select(r => r.ToAssignment())];

    public async Task<bool> ExistsAsync(RoleAssignment assignment, CancellationToken cancellationToken) =>
        await db.ExecuteScalarAsync<long>(AssignmentQueries.CountAssignment, assignment, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Records the assignment unless it exists already (a grant is idempotent, as Keystone's).</summary>
    public async Task InsertAsync(RoleAssignment assignment, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(assignment, cancellationToken).ConfigureAwait(false))
        {
            await db.ExecuteAsync(AssignmentQueries.InsertAssignment, assignment, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>False when there was no such assignment.</summary>
    public async Task<bool> DeleteAsync(RoleAssignment assignment, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(AssignmentQueries.DeleteAssignment, assignment, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>False when the user held no role on the project directly.</summary>
    public async Task<bool> DeleteUserProjectAsync(string userId, string projectId, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(AssignmentQueries.DeleteUserProjectAssignments, new { UserId = userId, ProjectId = projectId }, cancellationToken).ConfigureAwait(false) > 0;

    public Task<IReadOnlyList<string>> GroupIdsOfUserAsync(string userId, CancellationToken cancellationToken) =>
        db.QueryListAsync<string>(AssignmentQueries.GroupIdsOfUser, new { UserId = userId }, cancellationToken);

    public Task<IReadOnlyList<string>> UserIdsOfGroupAsync(string groupId, CancellationToken cancellationToken) =>
        db.QueryListAsync<string>(AssignmentQueries.UserIdsOfGroup, new { GroupId = groupId }, cancellationToken);

    public async Task<bool> IsInGroupAsync(string userId, string groupId, CancellationToken cancellationToken) =>
        await db.ExecuteScalarAsync<long>(AssignmentQueries.CountMembership, new { UserId = userId, GroupId = groupId }, cancellationToken).ConfigureAwait(false) > 0;

    public async Task AddToGroupAsync(string userId, string groupId, CancellationToken cancellationToken)
    {
        if (!await IsInGroupAsync(userId, groupId, cancellationToken).ConfigureAwait(false))
        {
            await db.ExecuteAsync(AssignmentQueries.InsertMembership, new { UserId = userId, GroupId = groupId }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> RemoveFromGroupAsync(string userId, string groupId, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(AssignmentQueries.DeleteMembership, new { UserId = userId, GroupId = groupId }, cancellationToken).ConfigureAwait(false) > 0;

    private sealed class ImpliedRow
    {
        public string PriorRoleId { get; init; } = "";

        public string ImpliedRoleId { get; init; } = "";
    }

    /// <summary>A row as the drivers give it (SQLite's booleans are integers), before it becomes a <see cref="RoleAssignment"/>.</summary>
    private sealed class AssignmentRow
    {
        public string Type { get; init; } = "";

        public string ActorId { get; init; } = "";

        public string TargetId { get; init; } = "";

        public string RoleId { get; init; } = "";

        public bool Inherited { get; init; }

        public RoleAssignment ToAssignment() => new(Type, ActorId, TargetId, RoleId, Inherited);
    }
}
