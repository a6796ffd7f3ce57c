using System.Globalization;
using Cloud.Modules.Identity.ApplicationCredentials;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>Application credentials and access rules as Keystone shows them (the secret only in the answer to create).</summary>
public static class ApplicationCredentialView
{
    /// <param name="context">The request, for links.</param>
    /// <param name="credential">The credential.</param>
    /// <param name="roleIds">Role ids by role name.</param>
    /// <param name="secret">The secret, in the answer to create only.</param>
    /// <remarks>
    /// <c>system</c> is always null: cloudd's application credentials are project-scoped only. Keystone's answer to
    /// create echoes <c>unrestricted</c> as asked (null when the body left it out); the route blanks it then.
    /// </remarks>
    public static Dictionary<string, object?> Credential(HttpContext context, ApplicationCredential credential, IReadOnlyDictionary<string, string> roleIds, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var body = new Dictionary<string, object?>
        {
            ["id"] = credential.Id,
            ["name"] = credential.Name,
            ["description"] = credential.Description,
            ["user_id"] = credential.UserId,
            ["project_id"] = credential.ProjectId,
            ["system"] = null,
            ["roles"] = credential.Roles.Select(r => Role(roleIds.GetValueOrDefault(r) ?? r, r)),
            ["expires_at"] = credential.ExpiresAt is { } at ? at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture) : null,
            ["unrestricted"] = credential.Unrestricted,
            ["links"] = new { self = Url(context, $"/users/{credential.UserId}/application_credentials/{credential.Id}") },
        };
        if (credential.AccessRules is { } rules)
        {
            body["access_rules"] = rules.Select(r => new { id = r.Id, service = r.Service, path = r.Path, method = r.Method });
        }
        if (secret is not null)
        {
            body["secret"] = secret;
        }
        return body;
    }

    public static object AccessRule(HttpContext context, string userId, AccessRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new { id = rule.Id, service = rule.Service, path = rule.Path, method = rule.Method, links = new { self = Url(context, $"/users/{userId}/access_rules/{rule.Id}") } };
    }

    /// <summary>What a token made with the credential says of it.</summary>
    public static Dictionary<string, object?> InToken(ApplicationCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var body = new Dictionary<string, object?> { ["id"] = credential.Id, ["name"] = credential.Name, ["restricted"] = !credential.Unrestricted };
        if (credential.AccessRules is { } rules)
        {
            body["access_rules"] = rules.Select(r => new { id = r.Id, service = r.Service, path = r.Path, method = r.Method });
        }
        return body;
    }

    /// <summary>A collection's <c>links</c> (Keystone pages nothing here).</summary>
    public static object Links(HttpContext context) =>
        new { self = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}", previous = (string?)null, next = (string?)null };

    /// <summary>An absolute <c>/v3</c> URL on the host the caller used.</summary>
    public static string Url(HttpContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        return $"{context.Request.Scheme}://{context.Request.Host}/v3{path}";
    }

    // The role as Keystone's role API shows it (cloudd's roles are global).
    private static object Role(string id, string name) => new { id, name, domain_id = (string?)null, description = (string?)null, options = IdentityViews.RoleOptions(name) };
}
