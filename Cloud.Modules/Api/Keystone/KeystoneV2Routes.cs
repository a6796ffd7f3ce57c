using System.Globalization;
using Cloud.Modules.Identity;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>
/// Keystone v2.0 tokens, for scripts that still use <c>OS_TENANT_NAME</c> and a <c>/v2.0</c> auth URL
/// (keystoneauth, novaclient, <c>swift -V 2</c>). Same users, tokens and catalog as v3.
/// </summary>
public sealed class KeystoneV2Routes(TokenApi tokens, ServiceCatalog catalog)
{
    public void Map(WebApplication app)
    {
        app.MapGet("/v2.0", context => KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { version = Version(context, "stable") }));
        app.MapPost("/v2.0/tokens", IssueAsync);
    }

    /// <summary>The v2.0 entry of version discovery; deprecated in favour of v3 when listed beside it.</summary>
    public static object Version(HttpContext context, string status) => new Dictionary<string, object>
    {
        ["id"] = "v2.0",
        ["status"] = status,
        ["updated"] = "2014-04-17T00:00:00Z",
        ["links"] = new[] { new { rel = "self", href = $"{context.Request.Scheme}://{context.Request.Host}/v2.0/" } },
        ["media-types"] = new[] { new { @base = "application/json", type = "application/vnd.openstack.identity-v2.0+json" } },
    };

    private async Task IssueAsync(HttpContext context)
    {
        var body = await KeystoneJson.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var auth = KeystoneJson.Object(body, "auth") ?? throw CloudException.Invalid("Expecting to find auth in request body.");
        var tenantName = KeystoneJson.String(auth, "tenantName");
        var tenantId = KeystoneJson.String(auth, "tenantId");
        var scope = tenantName is null && tenantId is null ? null : new ProjectScope(tenantId, tenantName);
        (string Token, TokenPayload Payload) issued;
        if (KeystoneJson.Object(auth, "passwordCredentials") is { } credentials)
        {
            var user = KeystoneJson.String(credentials, "username") ?? KeystoneJson.String(credentials, "userId")
                ?? throw CloudException.Invalid("Expecting to find username in passwordCredentials.");
            var password = KeystoneJson.String(credentials, "password") ?? throw CloudException.Invalid("Expecting to find password in passwordCredentials.");
            issued = await tokens.IssueForPasswordAsync(null, user, password, scope, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted).ConfigureAwait(false);
        }
        else if (KeystoneJson.String(auth, "token", "id") is { } token)
        {
            issued = await tokens.IssueForTokenAsync(token, scope, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            throw CloudException.Invalid("Expecting passwordCredentials or token in auth.");
        }
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, Access(issued.Token, issued.Payload)).ConfigureAwait(false);
    }

    private object Access(string id, TokenPayload token)
    {
        var v3 = catalog.Entries
            .Where(e => token.ProjectId is not null || !e.Url.Contains("{project_id}", StringComparison.Ordinal))
            .Select(e => (e, url: e.Url.Replace("{project_id}", token.ProjectId, StringComparison.Ordinal)));
        return new
        {
            access = new
            {
                token = new
                {
                    id,
                    expires = Iso(token.ExpiresAt),
                    issued_at = Iso(token.IssuedAt),
                    audit_ids = new[] { token.AuditId },
                    tenant = token.ProjectId is null ? null : new { id = token.ProjectId, name = token.ProjectName, enabled = true, description = (string?)null },
                },
                serviceCatalog = v3.Select(x => new
                {
                    type = x.e.Type,
                    name = x.e.Name,
                    endpoints_links = Array.Empty<object>(),
                    endpoints = new[] { new { region = catalog.Region, id = x.e.Type, publicURL = x.url, internalURL = x.url, adminURL = x.url } },
                }),
                user = new
                {
                    id = token.UserId,
                    name = token.UserName,
                    username = token.UserName,
                    roles = token.Roles.Select(r => new { name = r }),
                    roles_links = Array.Empty<object>(),
                },
                metadata = new { is_admin = token.Roles.Contains(Roles.Admin) ? 1 : 0, roles = token.Roles },
            },
        };
    }

    private static string Iso(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
