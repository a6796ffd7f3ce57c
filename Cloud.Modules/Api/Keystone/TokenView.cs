using System.Globalization;
using Cloud.Modules.Identity.Tokens;

namespace Cloud.Modules.Api.Keystone;

/// <summary>A token as Keystone v3 shows it (the fields keystoneauth and python-keystoneclient need).</summary>
public static class TokenView
{
    private static readonly object DefaultDomain = new { id = "default", name = "Default" };

    /// <summary>The token body.</summary>
    /// <param name="token">The token's payload.</param>
    /// <param name="catalog">The service catalog, shown when <paramref name="withCatalog"/>.</param>
    /// <param name="withCatalog">False for <c>?nocatalog</c>.</param>
    /// <param name="roleIds">Maps role names to ids (a name stands for its id when missing).</param>
    /// <param name="applicationCredential">The <c>application_credential</c> section of a token made with one; null otherwise.</param>
    public static object V3(TokenPayload token, ServiceCatalog catalog, bool withCatalog, IReadOnlyDictionary<string, string>? roleIds = null, object? applicationCredential = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(catalog);
        var body = new Dictionary<string, object?>
        {
            ["methods"] = token.Methods,
            ["user"] = new { id = token.UserId, name = token.UserName, domain = Domain(token.UserDomainId, null), password_expires_at = (string?)null },
            ["expires_at"] = Iso(token.ExpiresAt),
            ["issued_at"] = Iso(token.IssuedAt),
            ["audit_ids"] = new[] { token.AuditId },
        };
        var roles = token.Roles.Select(r => new { id = roleIds?.GetValueOrDefault(r) ?? r, name = r });
        if (token.ProjectId is not null)
        {
            body["project"] = new { id = token.ProjectId, name = token.ProjectName, domain = Domain(token.DomainId, token.DomainName) };
            body["is_domain"] = false;
            body["roles"] = roles;
        }
        else if (token.System)
        {
            body["system"] = new { all = true };
            body["roles"] = roles;
        }
        else if (token.IsDomainScoped)
        {
            body["domain"] = Domain(token.DomainId, token.DomainName);
            body["roles"] = roles;
        }
        if (applicationCredential is not null)
        {
            body["application_credential"] = applicationCredential;
        }
        // An unscoped token carries no catalog in Keystone: it grants nothing to any service.
        if (withCatalog && body.ContainsKey("roles"))
        {
            body["catalog"] = catalog.V3(token.ProjectId);
        }
        return new { token = body };
    }

    /// <summary>A domain reference; null (a token made before domains) is the default domain.</summary>
    private static object Domain(string? id, string? name) =>
        id is null or Identity.Domain.DefaultId ? DefaultDomain : new { id, name = name ?? id };

    private static string Iso(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
