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
        return credential is not null && credential.UserId == userId ? credential : throw CloudException.NotFound($"Could not find credential: {access}.");
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

    private static void Authorize(TokenPayload caller, string userId, string action)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.ApplicationCredentialId is not null)
        {
            throw CloudException.Forbidden("You are not authorized to perform the requested action: Delegated tokens cannot access credentials directly.");
        }
        if (caller.UserId != userId && !caller.Roles.Contains(Roles.Admin))
        {
            throw CloudException.Forbidden($"You are not authorized to perform the requested action: {action}.");
        }
    }
}
