using System.Security.Cryptography;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Identity.Tokens;

/// <summary>
/// Issues tokens for a password or an existing token, optionally scoped to a project the user belongs to,
/// and validates them: signature, expiry and revocations, without a database round trip.
/// </summary>
public sealed class TokenApi(IdentityApi identity, TokenSigner signer, TokenRevocations revocations, VerifiedPasswords passwords, LoginThrottle throttle,
    IOptions<IdentityFlags> flags, TimeProvider clock)
{
    private const string Refused = "The request you have made requires authentication.";

    /// <summary>
    /// Password method: the user by id or by name, and the password, from <paramref name="clientAddress"/>. A user name
    /// or address over its failed-login limit is refused before any password check (see <see cref="LoginThrottle"/>).
    /// </summary>
    public async Task<(string Token, TokenPayload Payload)> IssueForPasswordAsync(string? userId, string? userName, string password, ProjectScope? scope,
        string? clientAddress, CancellationToken cancellationToken)
    {
        var login = userId ?? userName ?? "";
        if (throttle.IsThrottled(login, clientAddress))
        {
            throw CloudException.Unauthorized(Refused);
        }
        var user = userId is not null
            ? await identity.FindUserByIdAsync(userId, cancellationToken).ConfigureAwait(false)
            : await identity.FindUserByNameAsync(userName ?? "", cancellationToken).ConfigureAwait(false);
        // The same answer, in the same time (an unknown user's password is checked against a dummy hash), whether
        // the user or the password was wrong: no user enumeration.
        if (!passwords.Verify(password, user?.PasswordHash) || user is null)
        {
            throttle.RecordFailure(login, clientAddress);
            throw CloudException.Unauthorized(Refused);
        }
        throttle.RecordSuccess(login);
        return await IssueAsync(user, ["password"], scope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Token method: a new token for the same user, possibly scoped differently; it never outlives the old one.</summary>
    public async Task<(string Token, TokenPayload Payload)> IssueForTokenAsync(string token, ProjectScope? scope, CancellationToken cancellationToken)
    {
        var old = await ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        var user = await identity.FindUserByIdAsync(old.UserId, cancellationToken).ConfigureAwait(false) ?? throw CloudException.Unauthorized(Refused);
        return await IssueAsync(user, ["token"], scope, cancellationToken, old.ExpiresAt).ConfigureAwait(false);
    }

    /// <summary>The token's payload, or <see cref="CloudException"/> (Unauthorized) when it is forged, expired or revoked.</summary>
    public async Task<TokenPayload> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var payload = await signer.ReadAsync(token, cancellationToken).ConfigureAwait(false);
        if (payload is null || payload.ExpiresAt <= clock.GetUtcNow().UtcDateTime
            || await revocations.IsRevokedAsync(payload, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Unauthorized("The token is not valid (unknown, expired or revoked).");
        }
        return payload;
    }

    public async Task RevokeAsync(TokenPayload payload, CancellationToken cancellationToken) =>
        await revocations.RevokeAsync(TokenRevocations.AuditKind, payload.AuditId, cancellationToken, payload.UserId).ConfigureAwait(false);

    private async Task<(string, TokenPayload)> IssueAsync(User user, IReadOnlyList<string> methods, ProjectScope? scope, CancellationToken cancellationToken, DateTime? notAfter = null)
    {
        if (!user.Enabled)
        {
            throw CloudException.Unauthorized(Refused);
        }
        Project? project = null;
        Domain? domain = null;
        IReadOnlyList<string> roles = [];
        if (scope is { System: true })
        {
            roles = Names(await identity.Assignments.SystemRolesAsync(user.Id, cancellationToken).ConfigureAwait(false));
            if (roles.Count == 0)
            {
                throw CloudException.Unauthorized($"User {user.Id} has no access to the system.");
            }
        }
        else if (scope is { IsDomain: true })
        {
            domain = await identity.Domains.FindAsync(scope.DomainId, scope.DomainName, cancellationToken).ConfigureAwait(false);
            roles = domain is { Enabled: true } ? Names(await identity.Assignments.DomainRolesAsync(user.Id, domain.Id, cancellationToken).ConfigureAwait(false)) : [];
            if (domain is null || roles.Count == 0)
            {
                throw CloudException.Unauthorized($"User {user.Id} has no access to domain {scope.DomainId ?? scope.DomainName}.");
            }
        }
        else if (scope is not null)
        {
            project = await identity.FindProjectAsync(scope.Name, scope.Name is null ? scope.Id : null, cancellationToken).ConfigureAwait(false);
            var inDomain = project is not null && (scope.Name is null || await identity.Domains.HoldsAsync(project.DomainId, scope.DomainId, scope.DomainName, cancellationToken).ConfigureAwait(false));
            roles = inDomain && project!.Enabled ? await identity.RolesInProjectAsync(user, project, cancellationToken).ConfigureAwait(false) : [];
            if (project is null || roles.Count == 0)
            {
                throw CloudException.Unauthorized($"User {user.Id} has no access to project {scope.Id ?? scope.Name}.");
            }
            domain = await identity.Domains.FindAsync(project.DomainId, null, cancellationToken).ConfigureAwait(false);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = now.AddSeconds(flags.Value.TokenExpiration);
        if (notAfter is { } limit && limit < expires)
        {
            expires = limit;
        }
        var payload = new TokenPayload(user.Id, user.Name, project?.Id, project?.Name, roles, methods, now, expires,
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            scope is { System: true }, domain?.Id, domain?.Name, user.DomainId);
        return (await signer.SignAsync(payload, cancellationToken).ConfigureAwait(false), payload);
    }

    private static IReadOnlyList<string> Names(IReadOnlyList<Role> roles) => [.. roles.Select(r => r.Name)];
}
