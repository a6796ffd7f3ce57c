using Cloud.Modules.Identity.Db;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Identity;

/// <summary>Domains (Keystone's <c>/v3/domains</c>): Default always, more on demand.</summary>
public sealed class DomainApi(DirectoryStore store)
{
    public Task<IReadOnlyList<Domain>> ListAsync(CancellationToken cancellationToken) => store.DomainsAsync(cancellationToken);

    /// <summary>The domain with this id, else (when <paramref name="id"/> is null) with this name; null when there is none.</summary>
    public Task<Domain?> FindAsync(string? id, string? name, CancellationToken cancellationToken) =>
        id is not null ? store.DomainByIdAsync(id, cancellationToken)
        : name is not null ? store.DomainByNameAsync(name, cancellationToken)
        : Task.FromResult<Domain?>(null);

    /// <summary>The domain with this id; Keystone's 404 otherwise.</summary>
    public async Task<Domain> GetAsync(string id, CancellationToken cancellationToken) =>
        await store.DomainByIdAsync(id, cancellationToken).ConfigureAwait(false) ?? throw CloudException.NotFound($"Could not find domain: {id}.");

    /// <summary>Whether the domain <paramref name="domainId"/> is the one named by id or name (true when neither is given: the default domain's namespace).</summary>
    public async Task<bool> HoldsAsync(string domainId, string? id, string? name, CancellationToken cancellationToken) =>
        (id is null && name is null) || (await FindAsync(id, name, cancellationToken).ConfigureAwait(false))?.Id == domainId;

    public async Task<Domain> CreateAsync(string name, string? description, bool enabled, CancellationToken cancellationToken)
    {
        await CheckNameFreeAsync(name, null, cancellationToken).ConfigureAwait(false);
        var domain = new Domain { Id = Guid.NewGuid().ToString("N"), Name = name, Description = description, Enabled = enabled };
        await store.InsertDomainAsync(domain, cancellationToken).ConfigureAwait(false);
        return domain;
    }

    public async Task<Domain> UpdateAsync(string id, string? name, string? description, bool? enabled, CancellationToken cancellationToken)
    {
        var domain = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (id == Domain.DefaultId && enabled == false)
        {
            throw CloudException.Forbidden("The default domain cannot be disabled.");
        }
        if (name is not null && name != domain.Name)
        {
            await CheckNameFreeAsync(name, id, cancellationToken).ConfigureAwait(false);
        }
        var updated = new Domain { Id = id, Name = name ?? domain.Name, Description = description ?? domain.Description, Enabled = enabled ?? domain.Enabled };
        await store.UpdateDomainAsync(updated, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <summary>Deletes a disabled, empty domain (Keystone's 403 while it is enabled).</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var domain = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (domain.Enabled)
        {
            throw CloudException.Forbidden("Cannot delete a domain that is enabled, please disable it first.");
        }
        if (await store.DomainContentsAsync(id, cancellationToken).ConfigureAwait(false) > 0)
        {
            throw CloudException.Forbidden($"Cannot delete domain {domain.Name}: delete its projects, users and groups first.");
        }
        await store.DeleteDomainAsync(id, cancellationToken).ConfigureAwait(false);
    }

    private async Task CheckNameFreeAsync(string name, string? exceptId, CancellationToken cancellationToken)
    {
        if (await store.DomainByNameAsync(name, cancellationToken).ConfigureAwait(false) is { } other && other.Id != exceptId)
        {
            throw CloudException.Conflict($"Conflict occurred attempting to store domain - Duplicate entry found with name {name}.");
        }
    }
}
