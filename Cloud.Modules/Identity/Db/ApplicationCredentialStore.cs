using Cloud.Modules.Identity.ApplicationCredentials;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Identity.Db;

/// <summary>Runs the SQL of application credentials and access rules for <see cref="ApplicationCredentialsApi"/>.</summary>
public sealed class ApplicationCredentialStore(IDbConnectionFactory db, TimeProvider clock)
{
    /// <summary>
    /// Inserts the credential with its roles and access rules, together. Each rule is the user's existing one (by id, or
    /// by its service, path and method), else a new one with the id asked for; returns the rules as linked.
    /// </summary>
    public async Task<IReadOnlyList<AccessRule>> InsertAsync(ApplicationCredential credential, IReadOnlyList<AccessRule> rules, CancellationToken cancellationToken)
    {
        var linked = new List<AccessRule>();
        await db.InTransactionAsync(async (c, t) =>
        {
            linked.Clear();
            await c.ExecuteAsync(Cmd(ApplicationCredentialQueries.Insert, new
            {
                credential.Id, credential.Name, credential.SecretHash, credential.Description, credential.UserId, credential.ProjectId,
                credential.ExpiresAt, credential.Unrestricted, Now = clock.GetUtcNow().UtcDateTime,
            }, cancellationToken, t)).ConfigureAwait(false);
            foreach (var role in credential.Roles)
            {
                await c.ExecuteAsync(Cmd(ApplicationCredentialQueries.InsertRole, new { credential.Id, Role = role }, cancellationToken, t)).ConfigureAwait(false);
            }
            foreach (var rule in rules)
            {
                var args = new { rule.Id, credential.UserId, rule.Service, rule.Path, rule.Method };
                var existing = await c.QuerySingleOrDefaultAsync<AccessRule>(Cmd(ApplicationCredentialQueries.AccessRuleById, args, cancellationToken, t)).ConfigureAwait(false)
                    ?? await c.QuerySingleOrDefaultAsync<AccessRule>(Cmd(ApplicationCredentialQueries.AccessRuleByValue, args, cancellationToken, t)).ConfigureAwait(false);
                if (existing is null)
                {
                    if (rule.Service.Length == 0 || rule.Path.Length == 0 || rule.Method.Length == 0)
                    {
                        throw CloudException.Invalid($"Invalid application credential: access rule {rule.Id} is not one of the user's; give its service, path and method.");
                    }
                    await c.ExecuteAsync(Cmd(ApplicationCredentialQueries.InsertAccessRule, args, cancellationToken, t)).ConfigureAwait(false);
                }
                var kept = existing ?? rule;
                if (linked.All(r => r.Id != kept.Id))
                {
                    await c.ExecuteAsync(Cmd(ApplicationCredentialQueries.LinkAccessRule, new { CredentialId = credential.Id, RuleId = kept.Id }, cancellationToken, t)).ConfigureAwait(false);
                    linked.Add(kept);
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        return linked;
    }

    public async Task<ApplicationCredential?> FindAsync(string id, CancellationToken cancellationToken) =>
        await CompleteAsync(await db.QuerySingleOrDefaultAsync<ApplicationCredential>(ApplicationCredentialQueries.ById, new { Id = id }, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<ApplicationCredential?> FindByNameAsync(string userId, string name, CancellationToken cancellationToken) =>
        await CompleteAsync(await db.QuerySingleOrDefaultAsync<ApplicationCredential>(ApplicationCredentialQueries.ByUserAndName, new { UserId = userId, Name = name }, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ApplicationCredential>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var credentials = await db.QueryListAsync<ApplicationCredential>(ApplicationCredentialQueries.OfUser, new { UserId = userId }, cancellationToken).ConfigureAwait(false);
        foreach (var credential in credentials)
        {
            await CompleteAsync(credential, cancellationToken).ConfigureAwait(false);
        }
        return credentials;
    }

    public async Task<long> CountAsync(string userId, CancellationToken cancellationToken) =>
        await db.ExecuteScalarAsync<long>(ApplicationCredentialQueries.CountOfUser, new { UserId = userId }, cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes the credential with its role and rule links (the rules stay the user's).</summary>
    public Task DeleteAsync(string id, CancellationToken cancellationToken) =>
        db.InTransactionAsync((c, t) => c.ExecuteAsync(Cmd(ApplicationCredentialQueries.Delete, new { Id = id }, cancellationToken, t)), cancellationToken);

    public Task<IReadOnlyList<AccessRule>> AccessRulesAsync(string userId, CancellationToken cancellationToken) =>
        db.QueryListAsync<AccessRule>(ApplicationCredentialQueries.AccessRulesOfUser, new { UserId = userId }, cancellationToken);

    public Task<AccessRule?> FindAccessRuleAsync(string userId, string id, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<AccessRule>(ApplicationCredentialQueries.AccessRuleById, new { Id = id, UserId = userId }, cancellationToken);

    public async Task<bool> AccessRuleInUseAsync(string id, CancellationToken cancellationToken) =>
        await db.ExecuteScalarAsync<long>(ApplicationCredentialQueries.AccessRuleInUse, new { Id = id }, cancellationToken).ConfigureAwait(false) > 0;

    public Task DeleteAccessRuleAsync(string userId, string id, CancellationToken cancellationToken) =>
        db.ExecuteAsync(ApplicationCredentialQueries.DeleteAccessRule, new { Id = id, UserId = userId }, cancellationToken);

    private async Task<ApplicationCredential?> CompleteAsync(ApplicationCredential? credential, CancellationToken cancellationToken)
    {
        if (credential is null)
        {
            return null;
        }
        credential.Roles = await db.QueryListAsync<string>(ApplicationCredentialQueries.RolesOf, new { credential.Id }, cancellationToken).ConfigureAwait(false);
        var rules = await db.QueryListAsync<AccessRule>(ApplicationCredentialQueries.AccessRulesOf, new { credential.Id }, cancellationToken).ConfigureAwait(false);
        credential.AccessRules = rules.Count == 0 ? null : rules;
        return credential;
    }
}
