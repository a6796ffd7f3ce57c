using Cloud.Modules.Identity.Db;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Identity;

/// <summary>
/// Users as Keystone manages them (<c>/v3/users</c>): in a domain, enabled or not, with a default project, email and
/// description; a user changes their own password with the original one. Disabling, a new password and deletion end the
/// user's tokens.
/// </summary>
public sealed class UserApi(IdentityStore store, DomainApi domains, VerifiedPasswords passwords, TokenRevocations revocations, TimeProvider clock)
{
    public Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken) => store.ListUsersAsync(cancellationToken);

    public Task<User?> FindAsync(string id, CancellationToken cancellationToken) => store.FindUserByIdAsync(id, cancellationToken);

    /// <summary>The user with this id; Keystone's 404 otherwise.</summary>
    public async Task<User> GetAsync(string id, CancellationToken cancellationToken) =>
        await store.FindUserByIdAsync(id, cancellationToken).ConfigureAwait(false) ?? throw CloudException.NotFound($"Could not find user: {id}.");

    public async Task<User> CreateAsync(string name, string domainId, string? password, bool enabled, string? defaultProjectId, string? email, string? description,
        CancellationToken cancellationToken)
    {
        await domains.GetAsync(domainId, cancellationToken).ConfigureAwait(false);
        await CheckNameFreeAsync(name, null, domainId, cancellationToken).ConfigureAwait(false);
        var user = User.New(name, password, false, clock.GetUtcNow().UtcDateTime, domainId, enabled, defaultProjectId, email, description);
        await store.InsertUserAsync(user, cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>Changes what is given; a new password (set by an admin) or disabling ends the user's tokens.</summary>
    public async Task<User> UpdateAsync(string id, string? name, bool? enabled, string? defaultProjectId, string? email, string? description, string? password,
        CancellationToken cancellationToken)
    {
        var user = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (name is not null && name != user.Name)
        {
            await CheckNameFreeAsync(name, id, user.DomainId, cancellationToken).ConfigureAwait(false);
        }
        var updated = new User
        {
            Id = user.Id, Name = name ?? user.Name, PasswordHash = user.PasswordHash, AccessKey = user.AccessKey, SecretKey = user.SecretKey, IsAdmin = user.IsAdmin,
            CreatedAt = user.CreatedAt, DomainId = user.DomainId, Enabled = enabled ?? user.Enabled, DefaultProjectId = defaultProjectId ?? user.DefaultProjectId,
            Email = email ?? user.Email, Description = description ?? user.Description,
        };
        await store.UpdateUserAsync(updated, cancellationToken).ConfigureAwait(false);
        if (password is not null)
        {
            await store.SetPasswordHashAsync(id, PasswordHasher.Hash(password), cancellationToken).ConfigureAwait(false);
        }
        if (password is not null || (user.Enabled && !updated.Enabled))
        {
            await revocations.RevokeAsync(TokenRevocations.UserKind, id, cancellationToken).ConfigureAwait(false);
        }
        return updated;
    }

    /// <summary>The user's own password change: 401 unless <paramref name="original"/> is their current password; ends their tokens.</summary>
    public async Task ChangePasswordAsync(string id, string original, string password, CancellationToken cancellationToken)
    {
        var user = await store.FindUserByIdAsync(id, cancellationToken).ConfigureAwait(false);
        if (!passwords.Verify(original, user?.PasswordHash) || user is null)
        {
            throw CloudException.Unauthorized("The request you have made requires authentication.");
        }
        await store.SetPasswordHashAsync(id, PasswordHasher.Hash(password), cancellationToken).ConfigureAwait(false);
        await revocations.RevokeAsync(TokenRevocations.UserKind, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await GetAsync(id, cancellationToken).ConfigureAwait(false);
        await store.DeleteUserAsync(id, cancellationToken).ConfigureAwait(false);
        await revocations.RevokeAsync(TokenRevocations.UserKind, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>User names are unique across domains here (the nova-manage model finds users by name alone).</summary>
    private async Task CheckNameFreeAsync(string name, string? exceptId, string domainId, CancellationToken cancellationToken)
    {
        if (await store.FindUserByNameAsync(name, cancellationToken).ConfigureAwait(false) is { } other && other.Id != exceptId)
        {
            throw CloudException.Conflict($"Conflict occurred attempting to store user - Duplicate entry found with name {name} at domain ID {domainId}.");
        }
    }
}
