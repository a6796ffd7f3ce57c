using Cloud.Modules.Identity.ApplicationCredentials;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary><c>/v3/users/{user_id}/application_credentials</c>: create (the secret shown once), list (by name), show, delete.</summary>
public sealed class ApplicationCredentialsRoutes(KeystoneCaller callers, ApplicationCredentialsApi credentials) : IKeystoneRoutes
{
    private const string Collection = "/v3/users/{userId}/application_credentials";

    public void Map(WebApplication app)
    {
        app.MapPost(Collection, CreateAsync);
        app.MapGet(Collection, ListAsync);
        app.MapGet(Collection + "/{id}", ShowAsync);
        app.MapDelete(Collection + "/{id}", DeleteAsync);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        var body = await KeystoneJson.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var request = ApplicationCredentialRequestParser.Parse(body);
        var (credential, secret) = await credentials.CreateAsync(caller, KeystoneRoute.Value(context, "userId"), request, context.RequestAborted).ConfigureAwait(false);
        var view = ApplicationCredentialView.Credential(context, credential, await credentials.RoleIdsAsync(context.RequestAborted).ConfigureAwait(false), secret);
        if (KeystoneJson.Object(body, "application_credential", "unrestricted") is null)
        {
            view["unrestricted"] = null;
        }
        await KeystoneJson.WriteAsync(context, StatusCodes.Status201Created, new { application_credential = view }).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        var name = context.Request.Query["name"] is { Count: > 0 } n ? n.ToString() : null;
        var list = await credentials.ListAsync(caller, KeystoneRoute.Value(context, "userId"), name, context.RequestAborted).ConfigureAwait(false);
        var roleIds = await credentials.RoleIdsAsync(context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            application_credentials = list.Select(c => ApplicationCredentialView.Credential(context, c, roleIds)),
            links = ApplicationCredentialView.Links(context),
        }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        var credential = await credentials.GetAsync(caller, KeystoneRoute.Value(context, "userId"), KeystoneRoute.Value(context, "id"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { application_credential = ApplicationCredentialView.Credential(context, credential, await credentials.RoleIdsAsync(context.RequestAborted).ConfigureAwait(false)) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        await credentials.DeleteAsync(caller, KeystoneRoute.Value(context, "userId"), KeystoneRoute.Value(context, "id"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
