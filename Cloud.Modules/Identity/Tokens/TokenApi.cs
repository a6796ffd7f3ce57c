using System.Security.Cryptography;
using Cloud.Modules.Identity.ApplicationCredentials;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Identity.Tokens;

/// <summary>
/// Issues tokens for a password or an existing token, optionally scoped to a project the user belongs to,
/// and validates them: signature, expiry and revocations, without a database round trip.
/// </summary>
public sealed class TokenApi(IdentityApi identity, TokenSigner signer, TokenRevocations revocations, VerifiedPasswords passwords, LoginThrottle throttle,
    ApplicationCredentialsApi applicationCredentials, IOptions<IdentityFlags> flags, TimeProvider clock)
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

    /// <summary>
    /// Application credential method: a token for the credential's user, scoped to its project with those of its roles the
    /// user still holds there, ending when the credential expires at the latest. Failures count against the login throttle.
    /// </summary>
    public async Task<(string Token, TokenPayload Payload, ApplicationCredential Credential)> IssueForApplicationCredentialAsync(
        ApplicationCredentialLogin login, string? clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(login);
        var key = $"application_credential:{login.Id ?? login.Name}";
        if (throttle.IsThrottled(key, clientAddress))
        {
            throw CloudException.Unauthorized(ApplicationCredentialsApi.InvalidCredential);
        }
        var owner = login.Id is not null ? null : login.UserId ?? (await identity.FindUserByNameAsync(login.UserName ?? "", cancellationToken).ConfigureAwait(false))?.Id;
        var found = await applicationCredentials.FindAsync(login.Id, owner, login.Name, cancellationToken).ConfigureAwait(false);
        if (found is null && login.Id is null)
        {
            throttle.RecordFailure(key, clientAddress);
            throw CloudException.Unauthorized($"Could not find application credential: {login.Name}");
        }
        ApplicationCredential credential;
        try
        {
            credential = applicationCredentials.Authenticate(found, login.Secret);
        }
        catch (CloudException)
        {
            throttle.RecordFailure(key, clientAddress);
            throw;
        }
        throttle.RecordSuccess(key);
        var user = await identity.FindUserByIdAsync(credential.UserId, cancellationToken).ConfigureAwait(false);
        if (user is not { Enabled: true })
        {
            throw CloudException.Unauthorized(Refused);
        }
        var (project, roles) = await applicationCredentials.CurrentRolesAsync(user, credential, cancellationToken).ConfigureAwait(false);
        var domain = await identity.Domains.FindAsync(project.DomainId, null, cancellationToken).ConfigureAwait(false);
        var notAfter = credential.ExpiresAt is { } expires ? DateTime.SpecifyKind(expires, DateTimeKind.Utc) : (DateTime?)null;
        var (token, payload) = await MintAsync(user, ["application_credential"], new Scoped(project, domain, false, roles), notAfter, credential.Id, cancellationToken).ConfigureAwait(false);
        return (token, payload, credential);
    }

    /// <summary>Token method: a new token for the same user, possibly scoped differently; it never outlives the old one.</summary>
    public async Task<(string Token, TokenPayload Payload)> IssueForTokenAsync(string token, ProjectScope? scope, CancellationToken cancellationToken)
    {
        var old = await ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        if (old.ApplicationCredentialId is not null)
        {
            // A credential's narrow scope must not be traded for the user's wider one.
            throw CloudException.Forbidden("You are not authorized to perform the requested action: Using a delegated token to create another token is not allowed.");
        }
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
                throw CloudException.Unauthorized(Refused);
            }
        }
        else if (scope is { IsDomain: true })
        {
            domain = await identity.Domains.FindAsync(scope.DomainId, scope.DomainName, cancellationToken).ConfigureAwait(false);
            roles = domain is { Enabled: true } ? Names(await identity.Assignments.DomainRolesAsync(user.Id, domain.Id, cancellationToken).ConfigureAwait(false)) : [];
            if (domain is null || roles.Count == 0)
            {
                throw CloudException.Unauthorized(Refused);
            }
        }
        else if (scope is not null)
        {
            project = await identity.FindProjectAsync(scope.Name, scope.Name is null ? scope.Id : null, cancellationToken).ConfigureAwait(false);
            var inDomain = project is not null && (scope.Name is null || await identity.Domains.HoldsAsync(project.DomainId, scope.DomainId, scope.DomainName, cancellationToken).ConfigureAwait(false));
            roles = inDomain && project!.Enabled ? await identity.RolesInProjectAsync(user, project, cancellationToken).ConfigureAwait(false) : [];
            if (project is null || roles.Count == 0)
            {
                throw CloudException.Unauthorized(Refused);
            }
            domain = await identity.Domains.FindAsync(project.DomainId, null, cancellationToken).ConfigureAwait(false);
        }
        return await MintAsync(user, methods, new Scoped(project, domain, scope is { System: true }, roles), notAfter, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(string, TokenPayload)> MintAsync(User user, IReadOnlyList<string> methods, Scoped scoped, DateTime? notAfter,
        string? applicationCredentialId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = now.AddSeconds(flags.Value.TokenExpiration);
        if (notAfter is { } limit && limit < expires)
        {
            expires = limit;
        }
        var payload = new TokenPayload(user.Id, user.Name, scoped.Project?.Id, scoped.Project?.Name, scoped.Roles, methods, now, expires,
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            scoped.System, scoped.Domain?.Id, scoped.Domain?.Name, user.DomainId, applicationCredentialId);
        return (await signer.SignAsync(payload, cancellationToken).ConfigureAwait(false), payload);
    }

    private static IReadOnlyList<string> Names(IReadOnlyList<Role> roles) => [.. roles.Select(r => r.Name)];

    /// <summary>What a token is scoped to, and the roles it carries there.</summary>
    private sealed record Scoped(Project? Project, Domain? Domain, bool System, IReadOnlyList<string> Roles);
}
