using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Identity.Db;

/// <summary>Runs the SQL of users, projects (with their tags) and quotas for <see cref="IdentityApi"/>.</summary>
public sealed class IdentityStore(IDbConnectionFactory db, TimeProvider clock)
{
    /// <summary>The id migration 0013 gave the seed's projectmanager role.</summary>
    private const string ProjectManagerRoleId = "a244d88daa434eecad24f95304bede02";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Inserts the user and, for a cloud administrator, their admin role on the system, together.</summary>
    public Task InsertUserAsync(User user, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(Cmd(IdentityQueries.InsertUser, new
            {
                user.Id, user.Name, user.PasswordHash, user.AccessKey, user.SecretKey, user.IsAdmin, Now = user.CreatedAt,
                user.DomainId, user.Enabled, user.DefaultProjectId, user.Email, user.Description,
            }, cancellationToken, t)).ConfigureAwait(false);
            if (user.IsAdmin)
            {
                await c.ExecuteAsync(Cmd(AssignmentQueries.InsertAssignment,
                    new RoleAssignment(RoleAssignment.UserSystem, user.Id, RoleAssignment.SystemTarget, Roles.AdminId, false), cancellationToken, t)).ConfigureAwait(false);
            }
        }, cancellationToken);

    /// <summary>Writes the user's name, enabled flag, default project, email and description.</summary>
    public Task UpdateUserAsync(User user, CancellationToken cancellationToken) =>
        db.ExecuteAsync(IdentityQueries.UpdateUser, new { user.Id, user.Name, user.Enabled, user.DefaultProjectId, user.Email, user.Description, Now }, cancellationToken);

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

    /// <summary>
    /// Inserts the project with its tags and, when it has a manager (the nova-manage <c>project create</c>), the manager's
    /// member and projectmanager roles on it, together.
    /// </summary>
    public Task InsertProjectAsync(Project project, IReadOnlyCollection<string> tags, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(Cmd(IdentityQueries.InsertProject, new
            {
                project.Id, project.Name, project.Description, project.ProjectManager, Now = project.CreatedAt, project.DomainId, project.ParentId, project.Enabled,
            }, cancellationToken, t)).ConfigureAwait(false);
            await InsertTagsAsync(c, t, project.Id, tags, cancellationToken).ConfigureAwait(false);
            if (project.ProjectManager.Length > 0)
            {
                foreach (var role in new[] { Roles.MemberId, ProjectManagerRoleId })
                {
                    await c.ExecuteAsync(Cmd(AssignmentQueries.InsertAssignment,
                        new RoleAssignment(RoleAssignment.UserProject, project.ProjectManager, project.Id, role, false), cancellationToken, t)).ConfigureAwait(false);
                }
            }
        }, cancellationToken);

    /// <summary>Writes the project's name, description and enabled flag, and replaces its tags when <paramref name="tags"/> is given, together.</summary>
    public Task UpdateProjectAsync(Project project, IReadOnlyCollection<string>? tags, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(Cmd(IdentityQueries.UpdateProject, new { project.Id, project.Name, project.Description, project.Enabled, Now }, cancellationToken, t)).ConfigureAwait(false);
            if (tags is not null)
            {
                await c.ExecuteAsync(Cmd(IdentityQueries.DeleteProjectTags, new { ProjectId = project.Id }, cancellationToken, t)).ConfigureAwait(false);
                await InsertTagsAsync(c, t, project.Id, tags, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ProjectTagsAsync(string projectId, CancellationToken cancellationToken) =>
        db.QueryListAsync<string>(IdentityQueries.ProjectTags, new { ProjectId = projectId }, cancellationToken);

    public Task<IReadOnlyList<Project>> ProjectsByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? Task.FromResult<IReadOnlyList<Project>>([]) : db.QueryListAsync<Project>(IdentityQueries.ProjectsByIds, new { Ids = ids }, cancellationToken);

    public Task<IReadOnlyList<Project>> ProjectsInDomainAsync(string domainId, CancellationToken cancellationToken) =>
        db.QueryListAsync<Project>(IdentityQueries.ProjectsInDomain, new { DomainId = domainId }, cancellationToken);

    public Task<IReadOnlyList<Project>> ChildProjectsAsync(string projectId, CancellationToken cancellationToken) =>
        db.QueryListAsync<Project>(IdentityQueries.ChildProjects, new { Id = projectId }, cancellationToken);

    public Task<Project?> FindProjectByNameAsync(string name, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Project>(IdentityQueries.ProjectByName, new { Name = name }, cancellationToken);

    public Task<Project?> FindProjectByIdAsync(string? id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Project>(IdentityQueries.ProjectById, new { Id = id }, cancellationToken);

    public Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken cancellationToken) =>
        db.QueryListAsync<Project>(IdentityQueries.Projects, null, cancellationToken);

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

    /// <summary>
    /// In one statement: the values quota class <paramref name="className"/> sets and the project's own values, or null
    /// when there is no project <paramref name="projectId"/> (flag defaults not included).
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, long> ClassValues, IReadOnlyDictionary<string, long> ProjectValues)?> ProjectQuotaLayersAsync(
        string projectId, string className, CancellationToken cancellationToken)
    {
        var rows = await db.QueryListAsync<QuotaLayerRow>(IdentityQueries.ProjectQuotaLayers, new { ProjectId = projectId, ClassName = className }, cancellationToken)
            .ConfigureAwait(false);
        if (!rows.Any(row => row.Layer == 0))
        {
            return null;
        }
        return (Layer(rows, 1), Layer(rows, 2));

        static Dictionary<string, long> Layer(IEnumerable<QuotaLayerRow> rows, long layer) =>
            rows.Where(row => row.Layer == layer).ToDictionary(row => row.Resource, row => row.HardLimit, StringComparer.Ordinal);
    }

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
    private static async Task InsertTagsAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, string projectId, IReadOnlyCollection<string> tags,
        CancellationToken cancellationToken)
    {
        foreach (var tag in tags.Distinct(StringComparer.Ordinal))
        {
            await c.ExecuteAsync(Cmd(IdentityQueries.InsertProjectTag, new { ProjectId = projectId, Name = tag }, cancellationToken, t)).ConfigureAwait(false);
        }
    }

    private sealed class QuotaLayerRow
    {
        public long Layer { get; init; }

        public string Resource { get; init; } = "";

        public long HardLimit { get; init; }
    }

    private sealed class QuotaRow
    {
        public string Resource { get; init; } = "";

        public long HardLimit { get; init; }
    }
}
