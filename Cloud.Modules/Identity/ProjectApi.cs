using Cloud.Modules.Identity.Db;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Identity;

/// <summary>
/// Projects as Keystone manages them (<c>/v3/projects</c>): in a domain, under a parent project, enabled or not, with
/// tags. Disabling or deleting a project ends the tokens scoped to it.
/// </summary>
public sealed class ProjectApi(IdentityStore store, DomainApi domains, TokenRevocations revocations, TimeProvider clock)
{
    public Task<IReadOnlyList<Project>> ListAsync(CancellationToken cancellationToken) => store.ListProjectsAsync(cancellationToken);

    public Task<Project?> FindAsync(string id, CancellationToken cancellationToken) => store.FindProjectByIdAsync(id, cancellationToken);

    /// <summary>The project with this id; Keystone's 404 otherwise.</summary>
    public async Task<Project> GetAsync(string id, CancellationToken cancellationToken) =>
        await store.FindProjectByIdAsync(id, cancellationToken).ConfigureAwait(false) ?? throw CloudException.NotFound($"Could not find project: {id}.");

    public Task<IReadOnlyList<string>> TagsAsync(string id, CancellationToken cancellationToken) => store.ProjectTagsAsync(id, cancellationToken);

    /// <summary>
    /// A new project; its domain is the parent's when only a parent is given, else <paramref name="domainId"/> or Default. The
    /// parent must be in the same domain and the tree no deeper than Keystone's default limit.
    /// </summary>
    public async Task<Project> CreateAsync(string name, string? domainId, string? parentId, string? description, bool enabled, IReadOnlyList<string> tags,
        CancellationToken cancellationToken)
    {
        Project? parent = null;
        if (parentId is not null && parentId != domainId)
        {
            parent = await store.FindProjectByIdAsync(parentId, cancellationToken).ConfigureAwait(false)
                ?? throw CloudException.NotFound($"Could not find project: {parentId}.");
            if (domainId is not null && parent.DomainId != domainId)
            {
                throw CloudException.Forbidden("Cannot create project, the parent is in a different domain.");
            }
            if (await DepthAsync(parent, cancellationToken).ConfigureAwait(false) >= AssignmentApi.MaxDepth)
            {
                throw CloudException.Forbidden($"Max hierarchy depth reached for {parent.Id} branch.");
            }
        }
        var domain = parent?.DomainId ?? domainId ?? parentId ?? Domain.DefaultId;
        if (await domains.FindAsync(domain, null, cancellationToken).ConfigureAwait(false) is null)
        {
            throw CloudException.Invalid($"Could not find domain: {domain}.");
        }
        var id = Guid.NewGuid().ToString("N");
        await CheckNameFreeAsync(name, id, cancellationToken).ConfigureAwait(false);
        var project = new Project
        {
            Id = id, Name = name, Description = description ?? "", DomainId = domain, ParentId = parent?.Id, Enabled = enabled,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        try
        {
            await store.InsertProjectAsync(project, tags, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            // Another request took the name between the check and the insert: the unique index decided; the check says so as a 409.
            await CheckNameFreeAsync(name, id, cancellationToken).ConfigureAwait(false);
            throw;
        }
        return project;
    }

    public async Task<Project> UpdateAsync(string id, string? name, string? description, bool? enabled, IReadOnlyList<string>? tags, CancellationToken cancellationToken)
    {
        var project = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (name is not null && name != project.Name)
        {
            await CheckNameFreeAsync(name, id, cancellationToken).ConfigureAwait(false);
        }
        var updated = new Project
        {
            Id = id, Name = name ?? project.Name, Description = description ?? project.Description, ProjectManager = project.ProjectManager,
            CaCertificate = project.CaCertificate, CaPrivateKey = project.CaPrivateKey, CreatedAt = project.CreatedAt, DomainId = project.DomainId,
            ParentId = project.ParentId, Enabled = enabled ?? project.Enabled,
        };
        await store.UpdateProjectAsync(updated, tags, cancellationToken).ConfigureAwait(false);
        if (project.Enabled && !updated.Enabled)
        {
            await revocations.RevokeAsync(TokenRevocations.ProjectKind, id, cancellationToken).ConfigureAwait(false);
        }
        return updated;
    }

    /// <summary>Deletes a leaf project with its assignments, tags and quotas; Keystone's 403 for a project with sub-projects.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if ((await store.ChildProjectsAsync(id, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            throw CloudException.Forbidden($"Cannot delete the project {id} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.");
        }
        await store.DeleteProjectAsync(id, cancellationToken).ConfigureAwait(false);
        await revocations.RevokeAsync(TokenRevocations.ProjectKind, id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> DepthAsync(Project project, CancellationToken cancellationToken)
    {
        var depth = 1;
        for (var parent = project.ParentId; parent is not null && depth <= AssignmentApi.MaxDepth; depth++)
        {
            parent = (await store.FindProjectByIdAsync(parent, cancellationToken).ConfigureAwait(false))?.ParentId;
        }
        return depth;
    }

    /// <summary>
    /// Project names are unique across domains here (the nova-manage model and EC2 keys find projects by name alone);
    /// the conflict names the project being stored (<paramref name="id"/>, new or updated) in Keystone's words.
    /// </summary>
    private async Task CheckNameFreeAsync(string name, string id, CancellationToken cancellationToken)
    {
        if (await store.FindProjectByNameAsync(name, cancellationToken).ConfigureAwait(false) is { } other && other.Id != id)
        {
            throw CloudException.Conflict($"Conflict occurred attempting to store project - it is not permitted to have two projects with either the same name or same id in the same domain: name is {name}, project id {id}.");
        }
    }
}
