using System.Security.Cryptography;
using Cloud.Modules.Identity.Db;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Identity.ApplicationCredentials;

/// <summary>
/// Keystone's application credentials and access rules: made by a user from a project-scoped token, with a subset of
/// that token's roles; each authenticates as the user in that project (<see cref="Authenticate"/>) until it
/// expires or is deleted, which also ends every token it issued. Owners manage their own; admins anyone's.
/// </summary>
public sealed class ApplicationCredentialsApi(
    ApplicationCredentialStore store, IdentityApi identity, TokenRevocations revocations, VerifiedPasswords secrets,
    IOptions<IdentityFlags> flags, TimeProvider clock)
{
    /// <summary>Keystone's 401 for a wrong secret, an unknown or expired credential alike (it tells a guesser nothing).</summary>
    public const string InvalidCredential = "The request you have made requires authentication.";

    private const string Delegated = "You are not authorized to perform the requested action: Using method 'application_credential' is not allowed for managing additional application credentials.";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Creates a credential for <paramref name="userId"/>, who must be the caller, in the caller's project; returns it and its secret.</summary>
    public async Task<(ApplicationCredential Credential, string Secret)> CreateAsync(TokenPayload caller, string userId, ApplicationCredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        await RequireUnrestrictedAsync(caller, cancellationToken).ConfigureAwait(false);
        if (caller.UserId != userId)
        {
            throw CloudException.Forbidden("You are not authorized to perform the requested action: Cannot create an application credential for another user.");
        }
        if (caller.ProjectId is null)
        {
            throw CloudException.Invalid("Invalid application credential: a project-scoped token is needed to create one.");
        }
        if (request.ExpiresAt is { } expires && expires <= Now)
        {
            throw CloudException.Invalid("The 'expires_at' must not be before now. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.");
        }
        var limit = flags.Value.ApplicationCredentialUserLimit;
        if (limit >= 0 && await store.CountAsync(userId, cancellationToken).ConfigureAwait(false) >= limit)
        {
            throw CloudException.Forbidden($"Unable to create additional application credentials, maximum of {limit} already exceeded for user.");
        }
        if (await store.FindByNameAsync(userId, request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw CloudException.Conflict($"Conflict occurred attempting to store application_credential - Duplicate entry found with name {request.Name}.");
        }
        var secret = string.IsNullOrEmpty(request.Secret) ? NewSecret() : request.Secret;
        var credential = new ApplicationCredential
        {
            Id = Guid.NewGuid().ToString("N"),
            Name = request.Name,
            Description = request.Description,
            UserId = userId,
            ProjectId = caller.ProjectId,
            ExpiresAt = request.ExpiresAt,
            Unrestricted = request.Unrestricted,
            SecretHash = PasswordHasher.Hash(secret),
            Roles = await DelegatedRolesAsync(caller, request.Roles, cancellationToken).ConfigureAwait(false),
        };
        var rules = await store.InsertAsync(credential, AccessRules(request.AccessRules), cancellationToken).ConfigureAwait(false);
        credential.AccessRules = rules.Count == 0 ? null : rules;
        return (credential, secret);
    }

    /// <summary>The user's credentials (by <paramref name="name"/> when given); the user themself or an admin.</summary>
    public async Task<IReadOnlyList<ApplicationCredential>> ListAsync(TokenPayload caller, string userId, string? name, CancellationToken cancellationToken)
    {
        RequireOwnerOrAdmin(caller, userId, "identity:list_application_credentials");
        var all = await store.ListAsync(userId, cancellationToken).ConfigureAwait(false);
        return name is null ? all : [.. all.Where(c => c.Name == name)];
    }

    /// <summary>
    /// One of the user's credentials: Keystone's 403 when the route names another user (decided before any look-up, so
    /// it tells nothing of the credential), 404 when the credential is unknown or not the named user's.
    /// </summary>
    public Task<ApplicationCredential> GetAsync(TokenPayload caller, string userId, string id, CancellationToken cancellationToken) =>
        GetAsync(caller, userId, id, "identity:get_application_credential", cancellationToken);

    private async Task<ApplicationCredential> GetAsync(TokenPayload caller, string userId, string id, string action, CancellationToken cancellationToken)
    {
        RequireOwnerOrAdmin(caller, userId, action);
        var credential = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (credential is null || credential.UserId != userId)
        {
            throw CloudException.NotFound($"Could not find Application Credential: {id}.");
        }
        return credential;
    }

    /// <summary>Deletes the credential and ends every token it issued.</summary>
    public async Task DeleteAsync(TokenPayload caller, string userId, string id, CancellationToken cancellationToken)
    {
        var credential = await GetAsync(caller, userId, id, "identity:delete_application_credential", cancellationToken).ConfigureAwait(false);
        await RequireUnrestrictedAsync(caller, cancellationToken).ConfigureAwait(false);
        await store.DeleteAsync(credential.Id, cancellationToken).ConfigureAwait(false);
        await revocations.RevokeAsync(TokenRevocations.ApplicationCredentialKind, credential.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AccessRule>> ListAccessRulesAsync(TokenPayload caller, string userId, CancellationToken cancellationToken)
    {
        RequireOwnerOrAdmin(caller, userId, "identity:list_access_rules");
        return await store.AccessRulesAsync(userId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AccessRule> GetAccessRuleAsync(TokenPayload caller, string userId, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var rule = caller.UserId == userId || IsAdmin(caller) ? await store.FindAccessRuleAsync(userId, id, cancellationToken).ConfigureAwait(false) : null;
        return rule ?? throw CloudException.NotFound($"Could not find Access Rule: {id}.");
    }

    /// <summary>Deletes one of the user's access rules; 403 while a credential still names it.</summary>
    public async Task DeleteAccessRuleAsync(TokenPayload caller, string userId, string id, CancellationToken cancellationToken)
    {
        var rule = await GetAccessRuleAsync(caller, userId, id, cancellationToken).ConfigureAwait(false);
        if (await store.AccessRuleInUseAsync(rule.Id, cancellationToken).ConfigureAwait(false))
        {
            throw CloudException.Forbidden("May not delete access rule in use");
        }
        await store.DeleteAccessRuleAsync(userId, rule.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The credential by id, or by name among the user's; the caller checks the user is the one it names.</summary>
    public async Task<ApplicationCredential?> FindAsync(string? id, string? userId, string? name, CancellationToken cancellationToken) =>
        id is not null ? await store.FindAsync(id, cancellationToken).ConfigureAwait(false)
        : userId is not null && name is not null ? await store.FindByNameAsync(userId, name, cancellationToken).ConfigureAwait(false)
        : null;

    /// <summary>
    /// The credential when <paramref name="secret"/> is its secret and it has not expired; otherwise 401 with
    /// <see cref="InvalidCredential"/>. The secret is checked even for an unknown credential, so both take as long.
    /// </summary>
    public ApplicationCredential Authenticate(ApplicationCredential? credential, string secret)
    {
        if (!secrets.Verify(secret, credential?.SecretHash) || credential is null
            || (credential.ExpiresAt is { } expires && DateTime.SpecifyKind(expires, DateTimeKind.Utc) <= Now))
        {
            throw CloudException.Unauthorized(InvalidCredential);
        }
        return credential;
    }

    /// <summary>Of the credential's roles, those its user still holds in its project (Keystone re-checks them at every login).</summary>
    public async Task<(Project Project, IReadOnlyList<string> Roles)> CurrentRolesAsync(User user, ApplicationCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var project = await identity.FindProjectAsync(null, credential.ProjectId, cancellationToken).ConfigureAwait(false);
        if (project is not { Enabled: true })
        {
            throw CloudException.Unauthorized(InvalidCredential);
        }
        var held = await identity.RolesInProjectAsync(user, project, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> roles = [.. credential.Roles.Where(held.Contains)];
        return roles.Count == 0 ? throw CloudException.Unauthorized(InvalidCredential) : (project, roles);
    }

    private async Task RequireUnrestrictedAsync(TokenPayload caller, CancellationToken cancellationToken)
    {
        if (caller.ApplicationCredentialId is { } id
            && await store.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { Unrestricted: true })
        {
            throw CloudException.Forbidden(Delegated);
        }
    }

    private static void RequireOwnerOrAdmin(TokenPayload caller, string userId, string action)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.UserId != userId && !IsAdmin(caller))
        {
            throw CloudException.Forbidden($"You are not authorized to perform the requested action: {action}.");
        }
    }

    private static bool IsAdmin(TokenPayload caller) => caller.Roles.Contains(Roles.Admin);

    /// <summary>Role names by role id, to show a credential's roles as Keystone does (tokens and credentials keep names).</summary>
    public async Task<IReadOnlyDictionary<string, string>> RoleIdsAsync(CancellationToken cancellationToken) =>
        (await identity.RoleApi.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Name, r => r.Id, StringComparer.Ordinal);

    /// <summary>The names of the roles asked for (by id or name), each one the caller's token holds; all of the token's when none are asked for.</summary>
    private async Task<IReadOnlyList<string>> DelegatedRolesAsync(TokenPayload caller, IReadOnlyList<RoleReference>? asked, CancellationToken cancellationToken)
    {
        if (asked is null || asked.Count == 0)
        {
            return caller.Roles;
        }
        var known = await identity.RoleApi.ListAsync(cancellationToken).ConfigureAwait(false);
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var role in asked)
        {
            var name = role.Id is { } id
                ? known.FirstOrDefault(r => r.Id == id)?.Name ?? throw CloudException.NotFound($"Could not find role: {id}.")
                : known.FirstOrDefault(r => r.Name == role.Name)?.Name ?? throw CloudException.NotFound($"Could not find role: {role.Name}.");
            if (!caller.Roles.Contains(name))
            {
                throw CloudException.Invalid("Invalid application credential: Cannot create an application credential with unassigned role");
            }
            roles.Add(name);
        }
        return [.. roles];
    }

    private static List<AccessRule> AccessRules(IReadOnlyList<AccessRuleRequest>? asked) =>
        asked is null ? [] : [.. asked.Select(r => new AccessRule(r.Id ?? Guid.NewGuid().ToString("N"), r.Service ?? "", r.Path ?? "", r.Method ?? ""))];

    /// <summary>64 random bytes, base64url without padding, as Keystone makes them.</summary>
    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
