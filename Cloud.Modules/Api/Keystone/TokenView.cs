using System.Globalization;
using Cloud.Modules.Identity.Tokens;

namespace Cloud.Modules.Api.Keystone;

/// <summary>A token as Keystone v3 shows it (the fields keystoneauth and python-keystoneclient need).</summary>
public static class TokenView
{
    private static readonly object DefaultDomain = new { id = "default", name = "Default" };

    /// <param name="token">The token's payload.</param>
    /// <param name="catalog">The service catalog, shown when <paramref name="withCatalog"/>.</param>
    /// <param name="withCatalog">False for <c>?nocatalog</c>.</param>
    /// <param name="applicationCredential">The <c>application_credential</c> section of a token made with one; null otherwise.</param>
    public static object V3(TokenPayload token, ServiceCatalog catalog, bool withCatalog, object? applicationCredential = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["methods"] = token.Methods,
            ["user"] = new { id = token.UserId, name = token.UserName, domain = DefaultDomain, password_expires_at = (string?)null },
            ["expires_at"] = Iso(token.ExpiresAt),
            ["issued_at"] = Iso(token.IssuedAt),
            ["audit_ids"] = new[] { token.AuditId },
            ["is_domain"] = false,
        };
        if (token.ProjectId is not null)
        {
            body["project"] = new { id = token.ProjectId, name = token.ProjectName, domain = DefaultDomain };
            body["roles"] = token.Roles.Select(r => new { id = r, name = r });
        }
        if (applicationCredential is not null)
        {
            body["application_credential"] = applicationCredential;
        }
        if (withCatalog)
        {
            body["catalog"] = catalog.V3(token.ProjectId);
        }
        return new { token = body };
    }

    public static object Project(string id, string name, string description) =>
        new { id, name, description, domain_id = "default", enabled = true, is_domain = false, parent_id = "default", links = new { self = (string?)null } };

    private static string Iso(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
