using System.Text.Json;
using Cloud.Modules.Identity.Ec2;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>
/// <c>/v3/credentials</c> (list, show, delete) over the EC2 pairs, the only credential type cloudd keeps: each shows
/// as Keystone stores it, type <c>ec2</c> with the pair in a JSON-string <c>blob</c> under the SHA-256 of its access key.
/// </summary>
public sealed class KeystoneCredentialsRoutes(KeystoneCaller callers, Ec2CredentialsApi credentials) : IKeystoneRoutes
{
    public void Map(WebApplication app)
    {
        app.MapGet("/v3/credentials", ListAsync);
        app.MapGet("/v3/credentials/{credentialId}", ShowAsync);
        app.MapDelete("/v3/credentials/{credentialId}", DeleteAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        var type = KeystoneInput.Query(context, "type");
        var list = type is null or Ec2Type
            ? await credentials.ListVisibleAsync(caller, KeystoneInput.Query(context, "user_id"), context.RequestAborted).ConfigureAwait(false)
            : [];
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, IdentityViews.Collection(context, "credentials", list.Select(c => View(context, c)))).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        var credential = await credentials.GetByIdAsync(caller, KeystoneRoute.Value(context, "credentialId"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { credential = View(context, credential) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        await credentials.DeleteByIdAsync(caller, KeystoneRoute.Value(context, "credentialId"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private const string Ec2Type = "ec2";

    private static Dictionary<string, object?> View(HttpContext context, Ec2Credential credential) => new()
    {
        ["id"] = credential.Id,
        ["user_id"] = credential.UserId,
        ["project_id"] = credential.ProjectId,
        ["type"] = Ec2Type,
        ["blob"] = Blob(credential),
        ["links"] = new { self = IdentityViews.Url(context, $"credentials/{credential.Id}") },
    };

    /// <summary>The blob as Keystone's EC2 API writes it (python's json.dumps: ", " and ": " between items).</summary>
    private static string Blob(Ec2Credential credential) =>
        $"{{\"access\": {JsonSerializer.Serialize(credential.Access)}, \"secret\": {JsonSerializer.Serialize(credential.Secret)}, \"trust_id\": null}}";
}
