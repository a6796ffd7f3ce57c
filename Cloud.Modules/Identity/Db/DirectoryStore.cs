using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Identity.Db;

/// <summary>Runs the SQL of domains and groups.</summary>
public sealed class DirectoryStore(IDbConnectionFactory db, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Task<IReadOnlyList<Domain>> DomainsAsync(CancellationToken cancellationToken) => db.QueryListAsync<Domain>(DirectoryQueries.Domains, null, cancellationToken);

    public Task<Domain?> DomainByIdAsync(string id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Domain>(DirectoryQueries.DomainById, new { Id = id }, cancellationToken);

    public Task<Domain?> DomainByNameAsync(string name, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Domain>(DirectoryQueries.DomainByName, new { Name = name }, cancellationToken);

    public Task InsertDomainAsync(Domain domain, CancellationToken cancellationToken) =>
        db.ExecuteAsync(DirectoryQueries.InsertDomain, new { domain.Id, domain.Name, domain.Description, domain.Enabled, Now }, cancellationToken);

    public Task UpdateDomainAsync(Domain domain, CancellationToken cancellationToken) =>
        db.ExecuteAsync(DirectoryQueries.UpdateDomain, new { domain.Id, domain.Name, domain.Description, domain.Enabled, Now }, cancellationToken);

    public async Task<long> DomainContentsAsync(string id, CancellationToken cancellationToken) =>
        await db.ExecuteScalarAsync<long>(DirectoryQueries.DomainContents, new { Id = id }, cancellationToken).ConfigureAwait(false);

    public Task DeleteDomainAsync(string id, CancellationToken cancellationToken) =>
        db.InTransactionAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, Sql.Cmd(DirectoryQueries.DeleteDomain, new { Id = id }, cancellationToken, t)), cancellationToken);

    public Task<IReadOnlyList<Group>> GroupsAsync(CancellationToken cancellationToken) => db.QueryListAsync<Group>(DirectoryQueries.Groups, null, cancellationToken);

    public Task<IReadOnlyList<Group>> GroupsOfUserAsync(string userId, CancellationToken cancellationToken) =>
        db.QueryListAsync<Group>(DirectoryQueries.GroupsOfUser, new { UserId = userId }, cancellationToken);

    public Task<Group?> GroupByIdAsync(string id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Group>(DirectoryQueries.GroupById, new { Id = id }, cancellationToken);

    public Task InsertGroupAsync(Group group, CancellationToken cancellationToken) =>
        db.ExecuteAsync(DirectoryQueries.InsertGroup, new { group.Id, group.DomainId, group.Name, group.Description, Now }, cancellationToken);

    public Task UpdateGroupAsync(Group group, CancellationToken cancellationToken) =>
        db.ExecuteAsync(DirectoryQueries.UpdateGroup, new { group.Id, group.Name, group.Description }, cancellationToken);

    /// <summary>Deletes the group with its assignments and memberships, together.</summary>
    public Task DeleteGroupAsync(string id, CancellationToken cancellationToken) =>
        db.InTransactionAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, Sql.Cmd(DirectoryQueries.DeleteGroup, new { Id = id }, cancellationToken, t)), cancellationToken);
}
