using Cloud.Modules.Identity.Db;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Identity;

/// <summary>Roles and implied roles (Keystone's <c>/v3/roles</c> and <c>/v3/roles/{prior}/implies/{implied}</c>).</summary>
public sealed class RoleApi(AssignmentStore store)
{
    /// <summary>The builtin roles: deleting one would take the nova-manage model and the personas with it.</summary>
    private static readonly HashSet<string> Builtin = [Roles.AdminId, Roles.MemberId, Roles.ReaderId];

    public Task<IReadOnlyList<Role>> ListAsync(CancellationToken cancellationToken) => store.RolesAsync(cancellationToken);

    public Task<Role?> FindAsync(string id, CancellationToken cancellationToken) => store.RoleByIdAsync(id, cancellationToken);

    public Task<Role?> FindByNameAsync(string name, CancellationToken cancellationToken) => store.RoleByNameAsync(name, cancellationToken);

    /// <summary>The role with this id; Keystone's 404 otherwise.</summary>
    public async Task<Role> GetAsync(string id, CancellationToken cancellationToken) =>
        await store.RoleByIdAsync(id, cancellationToken).ConfigureAwait(false) ?? throw CloudException.NotFound($"Could not find role: {id}.");

    public async Task<Role> CreateAsync(string name, string? description, CancellationToken cancellationToken)
    {
        await CheckNameFreeAsync(name, null, cancellationToken).ConfigureAwait(false);
        var role = new Role { Id = Guid.NewGuid().ToString("N"), Name = name, Description = description };
        await store.InsertRoleAsync(role, cancellationToken).ConfigureAwait(false);
        return role;
    }

    public async Task<Role> UpdateAsync(string id, string? name, string? description, CancellationToken cancellationToken)
    {
        var role = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (name is not null && name != role.Name)
        {
            if (Builtin.Contains(id))
            {
                throw CloudException.Forbidden($"The builtin role {role.Name} cannot be renamed.");
            }
            await CheckNameFreeAsync(name, id, cancellationToken).ConfigureAwait(false);
        }
        var updated = new Role { Id = id, Name = name ?? role.Name, Description = description ?? role.Description };
        await store.UpdateRoleAsync(updated, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <summary>Deletes the role with its assignments and implications; the caller revokes the tokens that carried it.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var role = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (Builtin.Contains(id))
        {
            throw CloudException.Forbidden($"The builtin role {role.Name} cannot be deleted.");
        }
        await store.DeleteRoleAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every (prior, implied) pair of role ids.</summary>
    public Task<IReadOnlyList<(string Prior, string Implied)>> ImplicationsAsync(CancellationToken cancellationToken) => store.ImpliedRolesAsync(cancellationToken);

    /// <summary>Makes <paramref name="priorId"/> imply <paramref name="impliedId"/>; refuses a cycle (Keystone's 403) and an implied admin.</summary>
    public async Task ImplyAsync(string priorId, string impliedId, CancellationToken cancellationToken)
    {
        await GetAsync(priorId, cancellationToken).ConfigureAwait(false);
        var implied = await GetAsync(impliedId, cancellationToken).ConfigureAwait(false);
        if (impliedId == Roles.AdminId)
        {
            throw CloudException.Forbidden($"{implied.Name} role cannot be an implied role.");
        }
        var pairs = await store.ImpliedRolesAsync(cancellationToken).ConfigureAwait(false);
        if (pairs.Contains((priorId, impliedId)))
        {
            return;
        }
        if (priorId == impliedId || Closure([impliedId], pairs).Contains(priorId))
        {
            throw CloudException.Forbidden($"Role {priorId} can not imply role {impliedId}: that would make a cycle of implied roles.");
        }
        await store.InsertImpliedRoleAsync(priorId, impliedId, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveImplicationAsync(string priorId, string impliedId, CancellationToken cancellationToken)
    {
        if (!await store.DeleteImpliedRoleAsync(priorId, impliedId, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.NotFound($"{priorId} does not imply {impliedId}.");
        }
    }

    /// <summary>The roles <paramref name="roleIds"/> give with everything they imply, transitively, ordered by name.</summary>
    public async Task<IReadOnlyList<Role>> ExpandAsync(IEnumerable<string> roleIds, CancellationToken cancellationToken)
    {
        var closure = Closure(roleIds, await store.ImpliedRolesAsync(cancellationToken).ConfigureAwait(false));
        var roles = await store.RolesAsync(cancellationToken).ConfigureAwait(false);
        return [.. roles.Where(r => closure.Contains(r.Id))];
    }

    /// <summary>The ids with every role they imply, transitively (the implications form no cycle, but a visited set keeps it finite anyway).</summary>
    public static HashSet<string> Closure(IEnumerable<string> roleIds, IReadOnlyList<(string Prior, string Implied)> pairs)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roleIds);
        while (pending.TryPop(out var id))
        {
            if (seen.Add(id))
            {
                foreach (var (_, implied) in pairs.Where(p => p.Prior == id))
                {
                    pending.Push(implied);
                }
            }
        }
        return seen;
    }

    private async Task CheckNameFreeAsync(string name, string? exceptId, CancellationToken cancellationToken)
    {
        if (await store.RoleByNameAsync(name, cancellationToken).ConfigureAwait(false) is { } other && other.Id != exceptId)
        {
            throw CloudException.Conflict($"Conflict occurred attempting to store role - Duplicate entry found with name {name}.");
        }
    }
}
