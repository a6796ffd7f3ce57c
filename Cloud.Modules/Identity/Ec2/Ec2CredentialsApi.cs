using Cloud.Modules.Identity.Db;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Identity.Ec2;

/// <summary>
/// Keystone's EC2 credentials: a user (or an admin for them) makes access/secret pairs bound to a project; the EC2 API
/// verifies signatures with them (<see cref="FindAsync"/>). Tokens made from an application credential may not touch them,
/// as in Keystone: a delegated, narrow credential must not mint a lasting, wider one.
/// </summary>
public sealed class Ec2CredentialsApi(IDbConnectionFactory db, IdentityApi identity, IOptions<IdentityFlags> flags, TimeProvider clock)
{
    public async Task<Ec2Credential> CreateAsync(TokenPayload caller, string userId, string? projectId, CancellationToken cancellationToken)
    {
        Authorize(caller, userId, "identity:ec2_create_credential");
        await RequireUserAsync(userId, cancellationToken).ConfigureAwait(false);
        var project = projectId is null ? null : await identity.FindProjectAsync(null, projectId, cancellationToken).ConfigureAwait(false);
        if (project is null)
        {
            throw CloudException.NotFound($"Could not find project: {projectId ?? "None"}.");
        }
        var limit = flags.Value.Ec2CredentialUserLimit;
        if (limit >= 0 && await db.ExecuteScalarAsync<long>(Ec2CredentialQueries.CountOfUser, new { UserId = userId }, cancellationToken).ConfigureAwait(false) >= limit)
        {
            throw CloudException.Forbidden($"Unable to create additional credentials, maximum of {limit} already exceeded for user.");
        }
        var credential = new Ec2Credential
        {
            Access = Guid.NewGuid().ToString("N"),
            Secret = Guid.NewGuid().ToString("N"),
            UserId = userId,
            ProjectId = project.Id,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await db.ExecuteAsync(Ec2CredentialQueries.Insert, credential, cancellationToken).ConfigureAwait(false);
        return credential;
    }

    public async Task<IReadOnlyList<Ec2Credential>> ListAsync(TokenPayload caller, string userId, CancellationToken cancellationToken)
    {
        Authorize(caller, userId, "identity:ec2_list_credentials");
        await RequireUserAsync(userId, cancellationToken).ConfigureAwait(false);
        return await db.QueryListAsync<Ec2Credential>(Ec2CredentialQueries.OfUser, new { UserId = userId }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user's credential; 404 when it is unknown or someone else's.</summary>
    public async Task<Ec2Credential> GetAsync(TokenPayload caller, string userId, string access, CancellationToken cancellationToken)
    {
        Authorize(caller, userId, "identity:ec2_get_credential");
        var credential = await FindAsync(access, cancellationToken).ConfigureAwait(false);
        // Keystone stores the pair under the SHA-256 of its access key and names that id when it finds none.
        return credential is not null && credential.UserId == userId ? credential : throw CloudException.NotFound($"Could not find credential: {Ec2Credential.IdOf(access)}.");
    }

    /// <summary>
    /// <c>GET /v3/credentials</c>: every pair for an admin or a system reader (of <paramref name="userId"/> when given),
    /// a caller's own otherwise, as Keystone filters the list by its policy.
    /// </summary>
    public async Task<IReadOnlyList<Ec2Credential>> ListVisibleAsync(TokenPayload caller, string? userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        RefuseDelegated(caller);
        var all = SeesAll(caller)
            ? await db.QueryListAsync<Ec2Credential>(Ec2CredentialQueries.All, null, cancellationToken).ConfigureAwait(false)
            : await db.QueryListAsync<Ec2Credential>(Ec2CredentialQueries.OfUser, new { caller.UserId }, cancellationToken).ConfigureAwait(false);
        return userId is null ? all : [.. all.Where(c => c.UserId == userId)];
    }

    /// <summary>A pair by its Keystone credential id; 404 when it is unknown or (to anyone but an admin) someone else's.</summary>
    public async Task<Ec2Credential> GetByIdAsync(TokenPayload caller, string id, CancellationToken cancellationToken) =>
        (await ListVisibleAsync(caller, null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Id == id)
            ?? throw CloudException.NotFound($"Could not find credential: {id}.");

    /// <summary>Deletes a pair by its Keystone credential id (the owner or an admin).</summary>
    public async Task DeleteByIdAsync(TokenPayload caller, string id, CancellationToken cancellationToken)
    {
        var credential = await GetByIdAsync(caller, id, cancellationToken).ConfigureAwait(false);
        Authorize(caller, credential.UserId, "identity:delete_credential");
        await db.ExecuteAsync(Ec2CredentialQueries.Delete, new { credential.Access }, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(TokenPayload caller, string userId, string access, CancellationToken cancellationToken)
    {
        var credential = await GetAsync(caller, userId, access, cancellationToken).ConfigureAwait(false);
        await db.ExecuteAsync(Ec2CredentialQueries.Delete, new { credential.Access }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The credential with this access key, for the EC2 API's signature check; null when there is none.</summary>
    public Task<Ec2Credential?> FindAsync(string access, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<Ec2Credential>(Ec2CredentialQueries.ByAccess, new { Access = access }, cancellationToken);

    private async Task RequireUserAsync(string userId, CancellationToken cancellationToken)
    {
        if (await identity.FindUserByIdAsync(userId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw CloudException.NotFound($"Could not find user: {userId}.");
        }
    }

    private static bool SeesAll(TokenPayload caller) => caller.Roles.Contains(Roles.Admin) || (caller.System && caller.Roles.Contains(Roles.Reader));

    private static void RefuseDelegated(TokenPayload caller)
    {
        if (caller.ApplicationCredentialId is not null)
        {
            throw CloudException.Forbidden("You are not authorized to perform the requested action: Delegated tokens cannot access credentials directly.");
        }
    }

    private static void Authorize(TokenPayload caller, string userId, string action)
    {
        ArgumentNullException.ThrowIfNull(caller);
        RefuseDelegated(caller);
        if (caller.UserId != userId && !caller.Roles.Contains(Roles.Admin))
        {
            throw CloudException.Forbidden($"You are not authorized to perform the requested action: {action}.");
        }
    }
}
