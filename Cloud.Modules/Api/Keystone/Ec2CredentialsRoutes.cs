using Cloud.Modules.Identity.Ec2;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>
/// <c>/v3/users/{user_id}/credentials/OS-EC2</c>: EC2 access/secret pairs bound to a project (<c>tenant_id</c>), as
/// <c>openstack ec2 credentials create/list/show/delete</c> use them; the EC2 API verifies signatures with them.
/// </summary>
public sealed class Ec2CredentialsRoutes(KeystoneCaller callers, Ec2CredentialsApi credentials) : IKeystoneRoutes
{
    private const string Collection = "/v3/users/{userId}/credentials/OS-EC2";

    public void Map(WebApplication app)
    {
        app.MapPost(Collection, CreateAsync);
        app.MapGet(Collection, ListAsync);
        app.MapGet(Collection + "/{access}", ShowAsync);
        app.MapDelete(Collection + "/{access}", DeleteAsync);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        var body = await KeystoneJson.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var credential = await credentials.CreateAsync(caller, KeystoneRoute.Value(context, "userId"), KeystoneJson.String(body, "tenant_id"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status201Created, new { credential = View(context, credential) }).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        var list = await credentials.ListAsync(caller, KeystoneRoute.Value(context, "userId"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            credentials = list.Select(c => View(context, c)),
            links = ApplicationCredentialView.Links(context),
        }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        var credential = await credentials.GetAsync(caller, KeystoneRoute.Value(context, "userId"), KeystoneRoute.Value(context, "access"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { credential = View(context, credential) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        await credentials.DeleteAsync(caller, KeystoneRoute.Value(context, "userId"), KeystoneRoute.Value(context, "access"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static object View(HttpContext context, Ec2Credential credential) => new
    {
        user_id = credential.UserId,
        tenant_id = credential.ProjectId,
        access = credential.Access,
        secret = credential.Secret,
        trust_id = (string?)null,
        links = new { self = ApplicationCredentialView.Url(context, $"/users/{credential.UserId}/credentials/OS-EC2/{credential.Access}") },
    };
}
