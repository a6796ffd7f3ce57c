using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Identity.Db;

/// <summary>Runs the SQL of users, projects, membership, roles and quotas for <see cref="IdentityApi"/>.</summary>
public sealed class IdentityStore(IDbConnectionFactory db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Task InsertUserAsync(User user, CancellationToken cancellationToken) =>
        db.ExecuteAsync(IdentityQueries.InsertUser, new { user.Id, user.Name, user.PasswordHash, user.AccessKey, user.SecretKey, user.IsAdmin, Now = user.CreatedAt }, cancellationToken);

    public Task<User?> FindUserByNameAsync(string name, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<User>(IdentityQueries.UserByName, new { Name = name }, cancellationToken);

    public Task<User?> FindUserByIdAsync(string id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<User>(IdentityQueries.UserById, new { Id = id }, cancellationToken);

    public Task<User?> FindUserByAccessKeyAsync(string accessKey, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<User>(IdentityQueries.UserByAccessKey, new { AccessKey = accessKey }, cancellationToken);

    public Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken) =>
        db.QueryListAsync<User>(IdentityQueries.Users, null, cancellationToken);

    public Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken) =>
        db.ExecuteAsync(IdentityQueries.SetPassword, new { Id = userId, PasswordHash = passwordHash, Now }, cancellationToken);

    /// <summary>Deletes the user with their memberships and roles, together.</summary>
    public Task DeleteUserAsync(string userId, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(Cmd(IdentityQueries.RemoveUserLinks, new { Id = userId }, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(IdentityQueries.DeleteUser, new { Id = userId }, cancellationToken, t)).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Inserts the project with its manager as a member holding <c>projectmanager</c>, together.</summary>
    public Task InsertProjectAsync(Project project, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            var manager = new { UserId = project.ProjectManager, ProjectId = project.Id };
            await c.ExecuteAsync(Cmd(IdentityQueries.InsertProject, new { project.Id, project.Name, project.Description, project.ProjectManager, Now = project.CreatedAt }, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(IdentityQueries.AddMember, manager, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(IdentityQueries.AddRole, new { manager.UserId, manager.ProjectId, Role = "projectmanager" }, cancellationToken, t)).ConfigureAwait(false);
        }, cancellationToken);

    public Task<Project?> FindProjectByNameAsync(string name, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Project>(IdentityQueries.ProjectByName, new { Name = name }, cancellationToken);

    public Task<Project?> FindProjectByIdAsync(string? id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Project>(IdentityQueries.ProjectById, new { Id = id }, cancellationToken);

    /// <summary>Every project, or those <paramref name="userId"/> is a member of.</summary>
    public Task<IReadOnlyList<Project>> ListProjectsAsync(string? userId, CancellationToken cancellationToken) =>
        userId is null
            ? db.QueryListAsync<Project>(IdentityQueries.Projects, null, cancellationToken)
            : db.QueryListAsync<Project>(IdentityQueries.ProjectsOfUser, new { UserId = userId }, cancellationToken);

    /// <summary>The names of the project's members.</summary>
    public Task<IReadOnlyList<string>> MemberNamesAsync(string projectId, CancellationToken cancellationToken) =>
        db.QueryListAsync<string>(IdentityQueries.MembersOf, new { ProjectId = projectId }, cancellationToken);

    /// <summary>Stores the project's CA unless it has one already.</summary>
    public Task SetProjectCaAsync(string projectId, string certificatePem, string privateKeyPem, CancellationToken cancellationToken) =>
        db.ExecuteAsync(IdentityQueries.SetProjectCa, new { Id = projectId, Certificate = certificatePem, PrivateKey = privateKeyPem, Now }, cancellationToken);

    /// <summary>Deletes the project with its memberships, roles and quotas, together.</summary>
    public Task DeleteProjectAsync(string projectId, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(Cmd(IdentityQueries.RemoveProjectLinks, new { Id = projectId }, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(IdentityQueries.DeleteProject, new { Id = projectId }, cancellationToken, t)).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<bool> IsMemberAsync(string userId, string projectId, CancellationToken cancellationToken) =>
        await db.ExecuteScalarAsync<long>(IdentityQueries.IsMember, new { UserId = userId, ProjectId = projectId }, cancellationToken).ConfigureAwait(false) > 0;

    public Task AddMemberAsync(string userId, string projectId, CancellationToken cancellationToken) =>
        db.ExecuteAsync(IdentityQueries.AddMember, new { UserId = userId, ProjectId = projectId }, cancellationToken);

    /// <summary>False when the user was no member.</summary>
    public async Task<bool> RemoveMemberAsync(string userId, string projectId, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(IdentityQueries.RemoveMember, new { UserId = userId, ProjectId = projectId }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Grants the role unless the user holds it already.</summary>
    public async Task AddRoleAsync(string userId, string projectId, string role, CancellationToken cancellationToken)
    {
        var args = new { UserId = userId, ProjectId = projectId, Role = role };
        if (await db.ExecuteScalarAsync<long>(IdentityQueries.HasRole, args, cancellationToken).ConfigureAwait(false) == 0)
        {
            await db.ExecuteAsync(IdentityQueries.AddRole, args, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>False when the user did not hold the role.</summary>
    public async Task<bool> RemoveRoleAsync(string userId, string projectId, string role, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(IdentityQueries.RemoveRole, new { UserId = userId, ProjectId = projectId, Role = role }, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>The roles granted to the user in the project (not the implied member and admin).</summary>
    public Task<IReadOnlyList<string>> RolesAsync(string userId, string projectId, CancellationToken cancellationToken) =>
        db.QueryListAsync<string>(IdentityQueries.RolesOf, new { UserId = userId, ProjectId = projectId }, cancellationToken);

    /// <summary>The project's own quota values, by resource (flag defaults not included).</summary>
    public async Task<IReadOnlyDictionary<string, long>> QuotasAsync(string projectId, CancellationToken cancellationToken) =>
        (await db.QueryListAsync<QuotaRow>(IdentityQueries.Quotas, new { ProjectId = projectId }, cancellationToken).ConfigureAwait(false))
            .ToDictionary(row => row.Resource, row => row.HardLimit, StringComparer.Ordinal);

    public async Task SetQuotaAsync(string projectId, string resource, long limit, CancellationToken cancellationToken)
    {
        var args = new { ProjectId = projectId, Resource = resource, HardLimit = limit };
        if (await db.ExecuteAsync(IdentityQueries.UpdateQuota, args, cancellationToken).ConfigureAwait(false) == 0)
        {
            await db.ExecuteAsync(IdentityQueries.InsertQuota, args, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops the project's own quota values: it falls back to the defaults.</summary>
    public Task DeleteQuotasAsync(string projectId, CancellationToken cancellationToken) =>
        db.ExecuteAsync(IdentityQueries.DeleteQuotas, new { ProjectId = projectId }, cancellationToken);

    /// <summary>The values a quota class sets, by resource (flag defaults not included).</summary>
    public async Task<IReadOnlyDictionary<string, long>> QuotaClassAsync(string className, CancellationToken cancellationToken) =>
        (await db.QueryListAsync<QuotaRow>(IdentityQueries.QuotaClass, new { ClassName = className }, cancellationToken).ConfigureAwait(false))
            .ToDictionary(row => row.Resource, row => row.HardLimit, StringComparer.Ordinal);

    /// <summary>Sets a quota class's values, in one transaction.</summary>
    public Task SetQuotaClassAsync(string className, IReadOnlyDictionary<string, long> limits, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            foreach (var (resource, limit) in limits)
            {
                var args = new { ClassName = className, Resource = resource, HardLimit = limit };
                if (await c.ExecuteAsync(Cmd(IdentityQueries.UpdateQuotaClass, args, cancellationToken, t)).ConfigureAwait(false) == 0)
                {
                    await c.ExecuteAsync(Cmd(IdentityQueries.InsertQuotaClass, args, cancellationToken, t)).ConfigureAwait(false);
                }
            }
        }, cancellationToken);

    private sealed class QuotaRow
    {
        public string Resource { get; init; } = "";

        public long HardLimit { get; init; }
    }
}
