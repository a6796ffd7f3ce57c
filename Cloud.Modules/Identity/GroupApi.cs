using Cloud.Modules.Identity.Db;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Identity;

/// <summary>Groups and their members (<c>/v3/groups</c>); a change of membership or a deleted group ends the affected users' tokens.</summary>
public sealed class GroupApi(DirectoryStore store, AssignmentStore members, DomainApi domains, AssignmentApi assignments)
{
    public Task<IReadOnlyList<Group>> ListAsync(CancellationToken cancellationToken) => store.GroupsAsync(cancellationToken);

    public Task<IReadOnlyList<Group>> OfUserAsync(string userId, CancellationToken cancellationToken) => store.GroupsOfUserAsync(userId, cancellationToken);

    public Task<Group?> FindAsync(string id, CancellationToken cancellationToken) => store.GroupByIdAsync(id, cancellationToken);

    /// <summary>The group with this id; Keystone's 404 otherwise.</summary>
    public async Task<Group> GetAsync(string id, CancellationToken cancellationToken) =>
        await store.GroupByIdAsync(id, cancellationToken).ConfigureAwait(false) ?? throw CloudException.NotFound($"Could not find group: {id}.");

    public async Task<Group> CreateAsync(string name, string domainId, string? description, CancellationToken cancellationToken)
    {
        await domains.GetAsync(domainId, cancellationToken).ConfigureAwait(false);
        await CheckNameFreeAsync(name, domainId, null, cancellationToken).ConfigureAwait(false);
        var group = new Group { Id = Guid.NewGuid().ToString("N"), DomainId = domainId, Name = name, Description = description };
        await store.InsertGroupAsync(group, cancellationToken).ConfigureAwait(false);
        return group;
    }

    public async Task<Group> UpdateAsync(string id, string? name, string? description, CancellationToken cancellationToken)
    {
        var group = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (name is not null && name != group.Name)
        {
            await CheckNameFreeAsync(name, group.DomainId, id, cancellationToken).ConfigureAwait(false);
        }
        var updated = new Group { Id = id, DomainId = group.DomainId, Name = name ?? group.Name, Description = description ?? group.Description };
        await store.UpdateGroupAsync(updated, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await GetAsync(id, cancellationToken).ConfigureAwait(false);
        // The members lose what the group gave them: their tokens end before the group goes (its member list with it).
        await assignments.RevokeTokensOfAsync(null, id, cancellationToken).ConfigureAwait(false);
        await store.DeleteGroupAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<string>> MemberIdsAsync(string groupId, CancellationToken cancellationToken) => members.UserIdsOfGroupAsync(groupId, cancellationToken);

    public Task<bool> HasMemberAsync(string groupId, string userId, CancellationToken cancellationToken) => members.IsInGroupAsync(userId, groupId, cancellationToken);

    public Task AddMemberAsync(string groupId, string userId, CancellationToken cancellationToken) => members.AddToGroupAsync(userId, groupId, cancellationToken);

    /// <summary>Removes the member and ends their tokens; Keystone's 404 when they were none.</summary>
    public async Task RemoveMemberAsync(string groupId, string userId, CancellationToken cancellationToken)
    {
        if (!await members.RemoveFromGroupAsync(userId, groupId, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"User {userId} is not a member of group {groupId}.");
        }
        await assignments.RevokeTokensOfAsync(userId, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task CheckNameFreeAsync(string name, string domainId, string? exceptId, CancellationToken cancellationToken)
    {
        if ((await store.GroupsAsync(cancellationToken).ConfigureAwait(false)).Any(g => g.DomainId == domainId && g.Name == name && g.Id != exceptId))
        {
            throw CloudException.Conflict($"Conflict occurred attempting to store group - Duplicate entry found with name {name} at domain ID {domainId}.");
        }
    }
}
