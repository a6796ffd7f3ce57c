using Cloud.Modules.Identity.ApplicationCredentials;
using Cloud.Modules.Identity.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary><c>/v3/users/{user_id}/application_credentials</c>: create (the secret shown once), list (by name), show, delete.</summary>
public sealed class ApplicationCredentialsRoutes(TokenApi tokens, ApplicationCredentialsApi credentials) : IKeystoneRoutes
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
        var caller = await KeystoneCaller.ValidateAsync(tokens, context).ConfigureAwait(false);
        var request = ApplicationCredentialRequestParser.Parse(await KeystoneJson.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false));
        var (credential, secret) = await credentials.CreateAsync(caller, KeystoneCaller.Route(context, "userId"), request, context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status201Created,
            new { application_credential = ApplicationCredentialView.Credential(context, credential, secret) }).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context)
    {
        var caller = await KeystoneCaller.ValidateAsync(tokens, context).ConfigureAwait(false);
        var name = context.Request.Query["name"] is { Count: > 0 } n ? n.ToString() : null;
        var list = await credentials.ListAsync(caller, KeystoneCaller.Route(context, "userId"), name, context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            application_credentials = list.Select(c => ApplicationCredentialView.Credential(context, c)),
            links = ApplicationCredentialView.Links(context),
        }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var caller = await KeystoneCaller.ValidateAsync(tokens, context).ConfigureAwait(false);
        var credential = await credentials.GetAsync(caller, KeystoneCaller.Route(context, "userId"), KeystoneCaller.Route(context, "id"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { application_credential = ApplicationCredentialView.Credential(context, credential) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var caller = await KeystoneCaller.ValidateAsync(tokens, context).ConfigureAwait(false);
        await credentials.DeleteAsync(caller, KeystoneCaller.Route(context, "userId"), KeystoneCaller.Route(context, "id"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
