using System.Data.Common;
using Cloud.Modules.Identity.Db;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Identity;

/// <summary>
/// Users, projects, membership, roles and quotas (nova's auth manager). Every change that takes rights away
/// also records a token revocation, so tokens issued before it stop working everywhere.
/// </summary>
public sealed class IdentityApi(IDbConnectionFactory db, TokenRevocations revocations, IOptions<QuotaFlags> quotas, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<User> CreateUserAsync(string name, bool isAdmin, string? password, CancellationToken cancellationToken)
    {
        Names.Check("user", name);
        var user = new User
        {
            Id = NewId(),
            Name = name,
            PasswordHash = password is null ? null : PasswordHasher.Hash(password),
            AccessKey = Guid.NewGuid().ToString(),
            SecretKey = Guid.NewGuid().ToString(),
            IsAdmin = isAdmin,
            CreatedAt = Now,
        };
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await FindUserAsync(c, name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw CloudException.Conflict($"user {name} already exists");
        }
        await c.ExecuteAsync(Cmd(IdentityQueries.InsertUser, new { user.Id, user.Name, user.PasswordHash, user.AccessKey, user.SecretKey, user.IsAdmin, Now }, cancellationToken)).ConfigureAwait(false);
        return user;
    }

    public async Task<User> GetUserAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindUserAsync(c, name, cancellationToken).ConfigureAwait(false) ?? throw CloudException.NotFound($"no user {name}");
    }

    public async Task<User?> FindUserByIdAsync(string id, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<User>(Cmd(IdentityQueries.UserById, new { Id = id }, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<User?> FindUserByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindUserAsync(c, name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<User?> FindUserByAccessKeyAsync(string accessKey, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<User>(Cmd(IdentityQueries.UserByAccessKey, new { AccessKey = accessKey }, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<User>(Cmd(IdentityQueries.Users, null, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task SetPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        var user = await GetUserAsync(name, cancellationToken).ConfigureAwait(false);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(IdentityQueries.SetPassword, new { user.Id, PasswordHash = PasswordHasher.Hash(password), Now }, cancellationToken)).ConfigureAwait(false);
        await revocations.RevokeAsync(TokenRevocations.UserKind, user.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteUserAsync(string name, CancellationToken cancellationToken)
    {
        var user = await GetUserAsync(name, cancellationToken).ConfigureAwait(false);
        await using (var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(IdentityQueries.RemoveUserLinks, new { user.Id }, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(IdentityQueries.DeleteUser, new { user.Id }, cancellationToken, t)).ConfigureAwait(false);
            await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        await revocations.RevokeAsync(TokenRevocations.UserKind, user.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Project> CreateProjectAsync(string name, string managerName, string? description, CancellationToken cancellationToken)
    {
        Names.Check("project", name);
        var manager = await GetUserAsync(managerName, cancellationToken).ConfigureAwait(false);
        var project = new Project { Id = NewId(), Name = name, Description = description ?? name, ProjectManager = manager.Id, CreatedAt = Now };
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await c.QuerySingleOrDefaultAsync<Project>(Cmd(IdentityQueries.ProjectByName, new { Name = name }, cancellationToken)).ConfigureAwait(false) is not null)
        {
            throw CloudException.Conflict($"project {name} already exists");
        }
        await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(IdentityQueries.InsertProject, new { project.Id, project.Name, project.Description, project.ProjectManager, Now }, cancellationToken, t)).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(IdentityQueries.AddMember, new { UserId = manager.Id, ProjectId = project.Id }, cancellationToken, t)).ConfigureAwait(false);
        await c.ExecuteAsync(Cmd(IdentityQueries.AddRole, new { UserId = manager.Id, ProjectId = project.Id, Role = "projectmanager" }, cancellationToken, t)).ConfigureAwait(false);
        await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        return project;
    }

    public async Task<Project> GetProjectAsync(string name, CancellationToken cancellationToken) =>
        await FindProjectAsync(name, null, cancellationToken).ConfigureAwait(false) ?? throw CloudException.NotFound($"no project {name}");

    /// <summary>A project by name or by id.</summary>
    public async Task<Project?> FindProjectAsync(string? name, string? id, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return name is not null
            ? await c.QuerySingleOrDefaultAsync<Project>(Cmd(IdentityQueries.ProjectByName, new { Name = name }, cancellationToken)).ConfigureAwait(false)
            : await c.QuerySingleOrDefaultAsync<Project>(Cmd(IdentityQueries.ProjectById, new { Id = id }, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Project>> ListProjectsAsync(string? userId, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<Project>(userId is null
            ? Cmd(IdentityQueries.Projects, null, cancellationToken)
            : Cmd(IdentityQueries.ProjectsOfUser, new { UserId = userId }, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task<IReadOnlyList<string>> MembersAsync(string projectName, CancellationToken cancellationToken)
    {
        var project = await GetProjectAsync(projectName, cancellationToken).ConfigureAwait(false);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await c.QueryAsync<string>(Cmd(IdentityQueries.MembersOf, new { ProjectId = project.Id }, cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>Stores the project's CA once; if another process stored one first, that one is returned.</summary>
    public async Task<Project> SetProjectCaAsync(Project project, string certificatePem, string privateKeyPem, CancellationToken cancellationToken)
    {
        await using (var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await c.ExecuteAsync(Cmd(IdentityQueries.SetProjectCa, new { project.Id, Certificate = certificatePem, PrivateKey = privateKeyPem, Now }, cancellationToken)).ConfigureAwait(false);
        }
        return await FindProjectAsync(null, project.Id, cancellationToken).ConfigureAwait(false) ?? throw CloudException.NotFound($"no project {project.Name}");
    }

    public async Task DeleteProjectAsync(string name, CancellationToken cancellationToken)
    {
        var project = await GetProjectAsync(name, cancellationToken).ConfigureAwait(false);
        await using (var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var t = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(IdentityQueries.RemoveProjectLinks, new { project.Id }, cancellationToken, t)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(IdentityQueries.DeleteProject, new { project.Id }, cancellationToken, t)).ConfigureAwait(false);
            await t.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        await revocations.RevokeAsync(TokenRevocations.ProjectKind, project.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddMemberAsync(string projectName, string userName, CancellationToken cancellationToken)
    {
        var (project, user) = await ProjectAndUserAsync(projectName, userName, cancellationToken).ConfigureAwait(false);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await IsMemberAsync(c, user.Id, project.Id, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Conflict($"user {userName} is already a member of project {projectName}");
        }
        await c.ExecuteAsync(Cmd(IdentityQueries.AddMember, new { UserId = user.Id, ProjectId = project.Id }, cancellationToken)).ConfigureAwait(false);
    }

    public async Task RemoveMemberAsync(string projectName, string userName, CancellationToken cancellationToken)
    {
        var (project, user) = await ProjectAndUserAsync(projectName, userName, cancellationToken).ConfigureAwait(false);
        await using (var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await c.ExecuteAsync(Cmd(IdentityQueries.RemoveMember, new { UserId = user.Id, ProjectId = project.Id }, cancellationToken)).ConfigureAwait(false) == 0)
            {
                throw CloudException.NotFound($"user {userName} is not a member of project {projectName}");
            }
        }
        await revocations.RevokeAsync(TokenRevocations.UserKind, user.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddRoleAsync(string userName, string role, string projectName, CancellationToken cancellationToken)
    {
        CheckRole(role);
        var (project, user) = await ProjectAndUserAsync(projectName, userName, cancellationToken).ConfigureAwait(false);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!await IsMemberAsync(c, user.Id, project.Id, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Invalid($"user {userName} is not a member of project {projectName}: 'project add' first");
        }
        var args = new { UserId = user.Id, ProjectId = project.Id, Role = role };
        if (await c.ExecuteScalarAsync<long>(Cmd(IdentityQueries.HasRole, args, cancellationToken)).ConfigureAwait(false) == 0)
        {
            await c.ExecuteAsync(Cmd(IdentityQueries.AddRole, args, cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task RemoveRoleAsync(string userName, string role, string projectName, CancellationToken cancellationToken)
    {
        CheckRole(role);
        var (project, user) = await ProjectAndUserAsync(projectName, userName, cancellationToken).ConfigureAwait(false);
        await using (var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await c.ExecuteAsync(Cmd(IdentityQueries.RemoveRole, new { UserId = user.Id, ProjectId = project.Id, Role = role }, cancellationToken)).ConfigureAwait(false) == 0)
            {
                throw CloudException.NotFound($"user {userName} has no role {role} in project {projectName}");
            }
        }
        await revocations.RevokeAsync(TokenRevocations.UserKind, user.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user's roles in the project; empty when the user is not a member (admins are members of every project).</summary>
    public async Task<IReadOnlyList<string>> RolesInProjectAsync(User user, Project project, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var member = await IsMemberAsync(c, user.Id, project.Id, cancellationToken).ConfigureAwait(false);
        if (!member && !user.IsAdmin)
        {
            return [];
        }
        var roles = new SortedSet<string>(StringComparer.Ordinal) { Roles.Member };
        if (user.IsAdmin)
        {
            roles.Add(Roles.Admin);
        }
        roles.UnionWith(await c.QueryAsync<string>(Cmd(IdentityQueries.RolesOf, new { UserId = user.Id, ProjectId = project.Id }, cancellationToken)).ConfigureAwait(false));
        return [.. roles];
    }

    /// <summary>The project's quotas: its own values over the flag defaults.</summary>
    public async Task<IReadOnlyDictionary<string, long>> QuotasAsync(string projectName, CancellationToken cancellationToken)
    {
        var project = await GetProjectAsync(projectName, cancellationToken).ConfigureAwait(false);
        var result = new SortedDictionary<string, long>(quotas.Value.ByResource().ToDictionary(), StringComparer.Ordinal);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in await c.QueryAsync<QuotaRow>(Cmd(IdentityQueries.Quotas, new { ProjectId = project.Id }, cancellationToken)).ConfigureAwait(false))
        {
            result[row.Resource] = row.HardLimit;
        }
        return result;
    }

    /// <summary>The quotas of the project with id <paramref name="projectId"/> (what services enforce against); 404 when there is none.</summary>
    public async Task<IReadOnlyDictionary<string, long>> QuotasOfProjectAsync(string projectId, CancellationToken cancellationToken)
    {
        var project = await FindProjectAsync(null, projectId, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Project {projectId} could not be found.");
        return await QuotasAsync(project.Name, cancellationToken).ConfigureAwait(false);
    }

    public async Task SetQuotaAsync(string projectName, string resource, long limit, CancellationToken cancellationToken)
    {
        if (!quotas.Value.ByResource().ContainsKey(resource))
        {
            throw CloudException.Invalid($"unknown quota '{resource}' (known: {string.Join(", ", quotas.Value.ByResource().Keys)})");
        }
        if (limit < -1)
        {
            throw CloudException.Invalid($"quota {resource} must be -1 (unlimited) or more, not {limit}");
        }
        var project = await GetProjectAsync(projectName, cancellationToken).ConfigureAwait(false);
        var args = new { ProjectId = project.Id, Resource = resource, HardLimit = limit };
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await c.ExecuteAsync(Cmd(IdentityQueries.UpdateQuota, args, cancellationToken)).ConfigureAwait(false) == 0)
        {
            await c.ExecuteAsync(Cmd(IdentityQueries.InsertQuota, args, cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task<(Project Project, User User)> ProjectAndUserAsync(string projectName, string userName, CancellationToken cancellationToken) =>
        (await GetProjectAsync(projectName, cancellationToken).ConfigureAwait(false), await GetUserAsync(userName, cancellationToken).ConfigureAwait(false));

    private static async Task<User?> FindUserAsync(DbConnection c, string name, CancellationToken cancellationToken) =>
        await c.QuerySingleOrDefaultAsync<User>(Cmd(IdentityQueries.UserByName, new { Name = name }, cancellationToken)).ConfigureAwait(false);

    private static async Task<bool> IsMemberAsync(DbConnection c, string userId, string projectId, CancellationToken cancellationToken) =>
        await c.ExecuteScalarAsync<long>(Cmd(IdentityQueries.IsMember, new { UserId = userId, ProjectId = projectId }, cancellationToken)).ConfigureAwait(false) > 0;

    private static void CheckRole(string role)
    {
        if (!Roles.Grantable.Contains(role))
        {
            throw CloudException.Invalid($"unknown role '{role}' (known: {string.Join(", ", Roles.Grantable)})");
        }
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private sealed class QuotaRow
    {
        public string Resource { get; init; } = "";

        public long HardLimit { get; init; }
    }
}
