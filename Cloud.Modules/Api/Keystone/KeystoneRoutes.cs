using System.Text.Json;
using Cloud.Modules.Api.Keystone.Schemas;
using Cloud.Modules.Identity;
using Cloud.Modules.Identity.ApplicationCredentials;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>The Keystone v3 surface the real clients use: discovery, tokens, the caller's projects and catalog.</summary>
public sealed class KeystoneRoutes(TokenApi tokens, IdentityApi identity, ServiceCatalog catalog, KeystoneV2Routes v2, IEnumerable<IKeystoneRoutes> groups,
    ApplicationCredentialsApi applicationCredentials)
{
    public void Map(WebApplication app)
    {
        app.MapGet("/", context => KeystoneJson.WriteAsync(context, StatusCodes.Status300MultipleChoices,
            new { versions = new { values = new object[] { Version(context), KeystoneV2Routes.Version(context, "deprecated") } } }));
        v2.Map(app);
        app.MapGet("/v3", context => KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { version = Version(context) }));
        app.MapPost("/v3/auth/tokens", IssueAsync);
        app.MapMethods("/v3/auth/tokens", ["GET", "HEAD"], ValidateAsync);
        app.MapDelete("/v3/auth/tokens", RevokeAsync);
        app.MapGet("/v3/auth/projects", MyProjectsAsync);
        app.MapGet("/v3/users/{userId}/projects", UserProjectsAsync);
        app.MapGet("/v3/auth/catalog", async context =>
        {
            var caller = await CallerAsync(context).ConfigureAwait(false);
            await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK,
                new { catalog = catalog.V3(caller.ProjectId), links = new { self = IdentityViews.Url(context, "auth/catalog") } }).ConfigureAwait(false);
        });
        foreach (var group in groups)
        {
            group.Map(app);
        }
    }

    private static Dictionary<string, object> Version(HttpContext context) => new()
    {
        ["id"] = "v3.14",
        ["status"] = "stable",
        ["updated"] = "2020-04-07T00:00:00Z",
        ["links"] = new[] { new { rel = "self", href = $"{context.Request.Scheme}://{context.Request.Host}/v3/" } },
        ["media-types"] = new[] { new { @base = "application/json", type = "application/vnd.openstack.identity-v3+json" } },
    };

    private async Task IssueAsync(HttpContext context)
    {
        var body = await KeystoneJson.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var auth = KeystoneJson.Object(body, "auth") ?? throw CloudException.Invalid("Expecting to find auth in request body." + KeystoneJson.ClientError);
        TokenIssueSchema.RequireIdentity(auth);
        var methods = KeystoneJson.Object(auth, "identity", "methods") is { ValueKind: JsonValueKind.Array } m
            ? m.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : "").ToList()
            : throw CloudException.Invalid("Expecting to find identity.methods (a list) in request body.");
        var scope = Scope(auth);
        var ct = context.RequestAborted;
        (string Token, TokenPayload Payload) issued;
        object? delegated = null;
        if (methods.Contains("application_credential"))
        {
            var (token, payload, credential) = await tokens.IssueForApplicationCredentialAsync(ApplicationCredentialLogin(auth), context.Connection.RemoteIpAddress?.ToString(), ct).ConfigureAwait(false);
            (issued, delegated) = ((token, payload), ApplicationCredentialView.InToken(credential));
        }
        else if (methods.Contains("password"))
        {
            var user = KeystoneJson.Object(auth, "identity", "password", "user") ?? throw CloudException.Invalid("Expecting to find identity.password.user in request body.");
            var password = KeystoneJson.String(user, "password") ?? throw CloudException.Invalid("Expecting to find the user's password in request body.");
            issued = await tokens.IssueForPasswordAsync(KeystoneJson.String(user, "id"), KeystoneJson.String(user, "name"), password, scope,
                context.Connection.RemoteIpAddress?.ToString(), ct).ConfigureAwait(false);
        }
        else if (methods.Contains("token"))
        {
            var id = KeystoneJson.String(auth, "identity", "token", "id") ?? throw CloudException.Invalid("Expecting to find identity.token.id in request body.");
            issued = await tokens.IssueForTokenAsync(id, scope, ct).ConfigureAwait(false);
        }
        else
        {
            throw CloudException.Unauthorized($"Unsupported authentication method(s): {string.Join(", ", methods)}; use password, token or application_credential.");
        }
        context.Response.Headers["X-Subject-Token"] = issued.Token;
        await KeystoneJson.WriteAsync(context, StatusCodes.Status201Created,
            TokenView.V3(issued.Payload, catalog, !context.Request.Query.ContainsKey("nocatalog"), await RoleIdsAsync(ct).ConfigureAwait(false), delegated)).ConfigureAwait(false);
    }

    /// <summary>The <c>application_credential</c> method's payload; such a credential brings its own scope and may not ask for one.</summary>
    private static ApplicationCredentialLogin ApplicationCredentialLogin(JsonElement auth)
    {
        if (KeystoneJson.Object(auth, "scope") is not null)
        {
            throw CloudException.Unauthorized("Error authenticating with application credential: Application credentials cannot request a scope.");
        }
        var credential = KeystoneJson.Object(auth, "identity", "application_credential") ?? throw CloudException.Invalid("Expecting to find identity.application_credential in request body.");
        var secret = KeystoneJson.String(credential, "secret") ?? throw CloudException.Invalid("Expecting to find secret in application credential.");
        var id = KeystoneJson.String(credential, "id");
        var name = KeystoneJson.String(credential, "name");
        if (id is not null)
        {
            // The credential names its user: a user given beside an id is ignored, never trusted.
            return new ApplicationCredentialLogin(id, null, null, null, secret);
        }
        if (name is null)
        {
            throw CloudException.Invalid("Expecting to find name or ID in application credential.");
        }
        var user = KeystoneJson.Object(credential, "user") ?? throw CloudException.Invalid("Expecting to find user in application credential.");
        var userId = KeystoneJson.String(user, "id");
        if (userId is null && KeystoneJson.Object(user, "domain") is null)
        {
            throw CloudException.Invalid("Expecting to find domain in user.");
        }
        return new ApplicationCredentialLogin(null, name, userId, KeystoneJson.String(user, "name"), secret);
    }

    private async Task ValidateAsync(HttpContext context)
    {
        await CallerAsync(context).ConfigureAwait(false);
        var subject = await SubjectAsync(context).ConfigureAwait(false);
        context.Response.Headers["X-Subject-Token"] = context.Request.Headers["X-Subject-Token"].ToString();
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }
        var credential = subject.ApplicationCredentialId is { } id
            ? await applicationCredentials.FindAsync(id, null, null, context.RequestAborted).ConfigureAwait(false)
            : null;
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, TokenView.V3(subject, catalog, !context.Request.Query.ContainsKey("nocatalog"),
            await RoleIdsAsync(context.RequestAborted).ConfigureAwait(false), credential is null ? null : ApplicationCredentialView.InToken(credential))).ConfigureAwait(false);
    }

    private async Task RevokeAsync(HttpContext context)
    {
        var caller = await CallerAsync(context).ConfigureAwait(false);
        var subject = await SubjectAsync(context).ConfigureAwait(false);
        // Anyone may revoke their own tokens; only admins others'.
        if (subject.UserId != caller.UserId && !caller.Roles.Contains(Roles.Admin))
        {
            throw CloudException.Forbidden("You are not authorized to revoke another user's token.");
        }
        await tokens.RevokeAsync(subject, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task MyProjectsAsync(HttpContext context)
    {
        var caller = await CallerAsync(context).ConfigureAwait(false);
        await WriteProjectsAsync(context, caller.UserId).ConfigureAwait(false);
    }

    private async Task UserProjectsAsync(HttpContext context)
    {
        var caller = await CallerAsync(context).ConfigureAwait(false);
        var userId = (string)context.Request.RouteValues["userId"]!;
        if (userId != caller.UserId && !caller.Roles.Contains(Roles.Admin))
        {
            throw CloudException.Forbidden("You are not authorized to list another user's projects.");
        }
        await WriteProjectsAsync(context, userId).ConfigureAwait(false);
    }

    private async Task WriteProjectsAsync(HttpContext context, string? userId)
    {
        var projects = await identity.ListProjectsAsync(userId, context.RequestAborted).ConfigureAwait(false);
        var name = context.Request.Query["name"].ToString();
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            projects = projects.Where(p => name.Length == 0 || p.Name == name).Select(p => IdentityViews.Project(context, p, [])),
            links = new { self = (string?)null, previous = (string?)null, next = (string?)null },
        }).ConfigureAwait(false);
    }

    private async Task<TokenPayload> CallerAsync(HttpContext context)
    {
        var token = context.Request.Headers["X-Auth-Token"].ToString();
        if (token.Length == 0)
        {
            throw CloudException.Unauthorized("The request you have made requires authentication (X-Auth-Token).");
        }
        return await tokens.ValidateAsync(token, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<TokenPayload> SubjectAsync(HttpContext context)
    {
        var subject = context.Request.Headers["X-Subject-Token"].ToString();
        if (subject.Length == 0)
        {
            throw CloudException.Invalid("Expecting the token to check in the X-Subject-Token header.");
        }
        try
        {
            return await tokens.ValidateAsync(subject, context.RequestAborted).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.Unauthorized)
        {
            throw CloudException.NotFound("Could not find token: it is unknown, expired or revoked.");
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> RoleIdsAsync(CancellationToken cancellationToken) =>
        (await identity.RoleApi.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Name, r => r.Id, StringComparer.Ordinal);

    /// <summary>The scope asked for: a project (by id, or by name in a domain), a domain, or the system; null for an unscoped token.</summary>
    private static ProjectScope? Scope(JsonElement auth)
    {
        if (KeystoneJson.Object(auth, "scope") is not { ValueKind: JsonValueKind.Object } scope)
        {
            return null;
        }
        if (KeystoneJson.Object(scope, "system") is { } system)
        {
            return system.ValueKind == JsonValueKind.Object && KeystoneJson.Object(system, "all") is { ValueKind: JsonValueKind.True }
                ? new ProjectScope(null, null, System: true)
                : throw CloudException.Invalid("scope.system must be {\"all\": true}.");
        }
        if (KeystoneJson.Object(scope, "domain") is { } domain)
        {
            var (domainId, domainName) = (KeystoneJson.String(domain, "id"), KeystoneJson.String(domain, "name"));
            return domainId is null && domainName is null ? throw CloudException.Invalid("scope.domain needs an id or a name.") : new ProjectScope(null, null, false, domainId, domainName);
        }
        if (KeystoneJson.Object(scope, "project") is not { } project)
        {
            return null;
        }
        var id = KeystoneJson.String(project, "id");
        var name = KeystoneJson.String(project, "name");
        var projectDomain = KeystoneJson.Object(project, "domain") is { } d ? (KeystoneJson.String(d, "id"), KeystoneJson.String(d, "name")) : (null, null);
        return id is null && name is null ? throw CloudException.Invalid("scope.project needs an id or a name.") : new ProjectScope(id, name, false, projectDomain.Item1, projectDomain.Item2);
    }
}
