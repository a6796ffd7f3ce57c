using Cloud.Modules.Identity.Db;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Identity;

/// <summary>
/// Users, projects, membership, roles and quotas (nova's auth manager), on Keystone's model: membership is the member role
/// on the project, a cloud administrator holds admin on the system (see <see cref="AssignmentApi"/>). Every change that takes rights away
/// also records a token revocation, so tokens issued before it stop working everywhere.
/// </summary>
public sealed class IdentityApi(IdentityStore store, AssignmentApi assignments, RoleApi roles, DomainApi domains, TokenRevocations revocations, IOptions<QuotaFlags> quotas, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The façade over one database with its own stores, for tools and tests that build it without the container.</summary>
    public static IdentityApi ForDatabase(IDbConnectionFactory db, TokenRevocations revocations, IOptions<QuotaFlags> quotas, TimeProvider clock)
    {
        var store = new IdentityStore(db, clock);
        var assignmentStore = new AssignmentStore(db, clock);
        var roles = new RoleApi(assignmentStore);
        return new IdentityApi(store, new AssignmentApi(assignmentStore, store, roles, revocations), roles, new DomainApi(new DirectoryStore(db, clock)), revocations, quotas, clock);
    }

    /// <summary>Role assignments and effective roles (what tokens carry).</summary>
    public AssignmentApi Assignments => assignments;

    public RoleApi RoleApi => roles;

    public DomainApi Domains => domains;

    public async Task<User> CreateUserAsync(string name, bool isAdmin, string? password, CancellationToken cancellationToken)
    {
        Names.Check("user", name);
        var user = User.New(name, password, isAdmin, Now);
        if (await store.FindUserByNameAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw CloudException.Conflict($"user {name} already exists");
        }
        await store.InsertUserAsync(user, cancellationToken).ConfigureAwait(false);
        return user;
    }

    public async Task<User> GetUserAsync(string name, CancellationToken cancellationToken) =>
        await store.FindUserByNameAsync(name, cancellationToken).ConfigureAwait(false) ?? throw CloudException.NotFound($"no user {name}");

    public Task<User?> FindUserByIdAsync(string id, CancellationToken cancellationToken) => store.FindUserByIdAsync(id, cancellationToken);

    public Task<User?> FindUserByNameAsync(string name, CancellationToken cancellationToken) => store.FindUserByNameAsync(name, cancellationToken);

    public Task<User?> FindUserByAccessKeyAsync(string accessKey, CancellationToken cancellationToken) =>
        store.FindUserByAccessKeyAsync(accessKey, cancellationToken);

    public Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken) => store.ListUsersAsync(cancellationToken);

    public async Task SetPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        var user = await GetUserAsync(name, cancellationToken).ConfigureAwait(false);
        await store.SetPasswordHashAsync(user.Id, PasswordHasher.Hash(password), cancellationToken).ConfigureAwait(false);
        await revocations.RevokeAsync(TokenRevocations.UserKind, user.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteUserAsync(string name, CancellationToken cancellationToken)
    {
        var user = await GetUserAsync(name, cancellationToken).ConfigureAwait(false);
        await store.DeleteUserAsync(user.Id, cancellationToken).ConfigureAwait(false);
        await revocations.RevokeAsync(TokenRevocations.UserKind, user.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Project> CreateProjectAsync(string name, string managerName, string? description, CancellationToken cancellationToken)
    {
        Names.Check("project", name);
        var manager = await GetUserAsync(managerName, cancellationToken).ConfigureAwait(false);
        var project = new Project { Id = NewId(), Name = name, Description = description ?? name, ProjectManager = manager.Id, CreatedAt = Now };
        if (await store.FindProjectByNameAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw CloudException.Conflict($"project {name} already exists");
        }
        await store.InsertProjectAsync(project, [], cancellationToken).ConfigureAwait(false);
        return project;
    }

    public async Task<Project> GetProjectAsync(string name, CancellationToken cancellationToken) =>
        await FindProjectAsync(name, null, cancellationToken).ConfigureAwait(false) ?? throw CloudException.NotFound($"no project {name}");

    /// <summary>A project by name or by id.</summary>
    public Task<Project?> FindProjectAsync(string? name, string? id, CancellationToken cancellationToken) =>
        name is not null ? store.FindProjectByNameAsync(name, cancellationToken) : store.FindProjectByIdAsync(id, cancellationToken);

    /// <summary>Every project, or those <paramref name="userId"/> holds a role in.</summary>
    public Task<IReadOnlyList<Project>> ListProjectsAsync(string? userId, CancellationToken cancellationToken) =>
        userId is null ? store.ListProjectsAsync(cancellationToken) : assignments.ProjectsOfUserAsync(userId, cancellationToken);

    public async Task<IReadOnlyList<string>> MembersAsync(string projectName, CancellationToken cancellationToken)
    {
        var project = await GetProjectAsync(projectName, cancellationToken).ConfigureAwait(false);
        return await store.MemberNamesAsync(project.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores the project's CA once; if another process stored one first, that one is returned.</summary>
    public async Task<Project> SetProjectCaAsync(Project project, string certificatePem, string privateKeyPem, CancellationToken cancellationToken)
    {
        await store.SetProjectCaAsync(project.Id, certificatePem, privateKeyPem, cancellationToken).ConfigureAwait(false);
        return await FindProjectAsync(null, project.Id, cancellationToken).ConfigureAwait(false) ?? throw CloudException.NotFound($"no project {project.Name}");
    }

    public async Task DeleteProjectAsync(string name, CancellationToken cancellationToken)
    {
        var project = await GetProjectAsync(name, cancellationToken).ConfigureAwait(false);
        await store.DeleteProjectAsync(project.Id, cancellationToken).ConfigureAwait(false);
        await revocations.RevokeAsync(TokenRevocations.ProjectKind, project.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the user a member: the member role on the project.</summary>
    public async Task AddMemberAsync(string projectName, string userName, CancellationToken cancellationToken)
    {
        var (project, user) = await ProjectAndUserAsync(projectName, userName, cancellationToken).ConfigureAwait(false);
        if (await IsMemberAsync(user, project, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Conflict($"user {userName} is already a member of project {projectName}");
        }
        await assignments.GrantAsync(Direct(user, project, Roles.MemberId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the membership: every role the user holds on the project directly.</summary>
    public async Task RemoveMemberAsync(string projectName, string userName, CancellationToken cancellationToken)
    {
        var (project, user) = await ProjectAndUserAsync(projectName, userName, cancellationToken).ConfigureAwait(false);
        if (!await assignments.RemoveUserFromProjectAsync(user.Id, project.Id, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"user {userName} is not a member of project {projectName}");
        }
    }

    public async Task AddRoleAsync(string userName, string role, string projectName, CancellationToken cancellationToken)
    {
        var roleId = await RoleIdAsync(role, cancellationToken).ConfigureAwait(false);
        var (project, user) = await ProjectAndUserAsync(projectName, userName, cancellationToken).ConfigureAwait(false);
        if (!await IsMemberAsync(user, project, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Invalid($"user {userName} is not a member of project {projectName}: 'project add' first");
        }
        await assignments.GrantAsync(Direct(user, project, roleId), cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveRoleAsync(string userName, string role, string projectName, CancellationToken cancellationToken)
    {
        var roleId = await RoleIdAsync(role, cancellationToken).ConfigureAwait(false);
        var (project, user) = await ProjectAndUserAsync(projectName, userName, cancellationToken).ConfigureAwait(false);
        if (!await assignments.ExistsAsync(Direct(user, project, roleId), cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"user {userName} has no role {role} in project {projectName}");
        }
        await assignments.RevokeAsync(Direct(user, project, roleId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The names of the user's effective roles in the project (implied ones included); empty when they hold none (admins hold admin in every project).</summary>
    public async Task<IReadOnlyList<string>> RolesInProjectAsync(User user, Project project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(project);
        return [.. (await assignments.ProjectRolesAsync(user.Id, project.Id, cancellationToken).ConfigureAwait(false)).Select(r => r.Name)];
    }

    /// <summary>The project's quotas: its own values over the defaults (<see cref="QuotaClassAsync"/> of <c>default</c>).</summary>
    public async Task<IReadOnlyDictionary<string, long>> QuotasAsync(string projectName, CancellationToken cancellationToken)
    {
        var project = await GetProjectAsync(projectName, cancellationToken).ConfigureAwait(false);
        return await QuotasAsync(project, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyDictionary<string, long>> QuotasAsync(Project project, CancellationToken cancellationToken)
    {
        var classValues = await store.QuotaClassAsync(DefaultQuotaClass, cancellationToken).ConfigureAwait(false);
        return Layered(classValues, await store.QuotasAsync(project.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The quotas of the project with id <paramref name="projectId"/> (what services enforce against); 404 when there is none.</summary>
    public async Task<IReadOnlyDictionary<string, long>> QuotasOfProjectAsync(string projectId, CancellationToken cancellationToken)
    {
        // The project, the default class and the project's values in one statement: every create reads its quotas
        // (three round trips of a create's 26 were these, general log of `cloudd bench schedule`).
        var (classValues, projectValues) = await store.ProjectQuotaLayersAsync(projectId, DefaultQuotaClass, cancellationToken).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Project {projectId} could not be found.");
        return Layered(classValues, projectValues);
    }

    /// <summary>The flag defaults, under each of <paramref name="layers"/> in turn (a later layer's value wins).</summary>
    private SortedDictionary<string, long> Layered(params IReadOnlyDictionary<string, long>[] layers)
    {
        var result = new SortedDictionary<string, long>(quotas.Value.ByResource().ToDictionary(), StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var (resource, limit) in layer)
            {
                result[resource] = limit;
            }
        }
        return result;
    }

    public async Task SetQuotaAsync(string projectName, string resource, long limit, CancellationToken cancellationToken)
    {
        CheckQuota(resource, limit);
        var project = await GetProjectAsync(projectName, cancellationToken).ConfigureAwait(false);
        await store.SetQuotaAsync(project.Id, resource, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The quota class every project without its own value follows (nova's <c>default</c> class).</summary>
    public const string DefaultQuotaClass = "default";

    /// <summary>A quota class's limits: the flag defaults under the values set for the class (os-quota-class-sets).</summary>
    public async Task<IReadOnlyDictionary<string, long>> QuotaClassAsync(string className, CancellationToken cancellationToken) =>
        Layered(await store.QuotaClassAsync(className, cancellationToken).ConfigureAwait(false));

    /// <summary>Sets quota class values; only the <c>default</c> class changes what projects get, as in nova.</summary>
    public async Task SetQuotaClassAsync(string className, IReadOnlyDictionary<string, long> limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        foreach (var (resource, limit) in limits)
        {
            CheckQuota(resource, limit);
        }
        await store.SetQuotaClassAsync(className, limits, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets several of a project's quotas (by project id); unknown resources and values below -1 are refused.</summary>
    public async Task SetProjectQuotasAsync(string projectId, IReadOnlyDictionary<string, long> limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        foreach (var (resource, limit) in limits)
        {
            CheckQuota(resource, limit);
        }
        foreach (var (resource, limit) in limits)
        {
            await store.SetQuotaAsync(projectId, resource, limit, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops a project's own quota values (by project id): it follows the defaults again.</summary>
    public Task ClearProjectQuotasAsync(string projectId, CancellationToken cancellationToken) => store.DeleteQuotasAsync(projectId, cancellationToken);

    private void CheckQuota(string resource, long limit)
    {
        if (!quotas.Value.ByResource().ContainsKey(resource))
        {
            throw CloudException.Invalid($"unknown quota '{resource}' (known: {string.Join(", ", quotas.Value.ByResource().Keys)})");
        }
        if (limit < -1)
        {
            throw CloudException.Invalid($"quota {resource} must be -1 (unlimited) or more, not {limit}");
        }
    }

    private async Task<(Project Project, User User)> ProjectAndUserAsync(string projectName, string userName, CancellationToken cancellationToken) =>
        (await GetProjectAsync(projectName, cancellationToken).ConfigureAwait(false), await GetUserAsync(userName, cancellationToken).ConfigureAwait(false));

    private async Task<bool> IsMemberAsync(User user, Project project, CancellationToken cancellationToken) =>
        (await assignments.ListAsync(new AssignmentQuery(UserId: user.Id, ProjectId: project.Id), cancellationToken).ConfigureAwait(false)).Count > 0;

    private async Task<string> RoleIdAsync(string role, CancellationToken cancellationToken) =>
        (await roles.FindByNameAsync(role, cancellationToken).ConfigureAwait(false))?.Id
            ?? throw CloudException.Invalid($"unknown role '{role}' (seeded: {string.Join(", ", Roles.Grantable)})");

    private static RoleAssignment Direct(User user, Project project, string roleId) => new(RoleAssignment.UserProject, user.Id, project.Id, roleId, false);

    private static string NewId() => Guid.NewGuid().ToString("N");
}
