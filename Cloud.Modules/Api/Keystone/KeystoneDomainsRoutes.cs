using Cloud.Modules.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary><c>/v3/domains</c>: create, list (by name, enabled), show, update, delete (once disabled).</summary>
public sealed class KeystoneDomainsRoutes(KeystoneCaller callers, DomainApi domains) : IKeystoneRoutes
{
    public void Map(WebApplication app)
    {
        app.MapGet("/v3/domains", ListAsync);
        app.MapPost("/v3/domains", CreateAsync);
        app.MapGet("/v3/domains/{domainId}", ShowAsync);
        app.MapMethods("/v3/domains/{domainId}", ["PATCH"], UpdateAsync);
        app.MapDelete("/v3/domains/{domainId}", DeleteAsync);
    }

    /// <summary>Admins and system readers see every domain; others the domains of their token (Keystone's list_domains for users).</summary>
    private async Task ListAsync(HttpContext context)
    {
        var caller = await callers.OfAsync(context).ConfigureAwait(false);
        var all = KeystoneCaller.IsAdmin(caller) || (caller.System && caller.Roles.Contains(Roles.Reader));
        var name = KeystoneInput.Query(context, "name");
        var enabled = KeystoneInput.Query(context, "enabled");
        var list = (await domains.ListAsync(context.RequestAborted).ConfigureAwait(false)).Where(d =>
            (all || d.Id == (caller.DomainId ?? Domain.DefaultId))
            && (name is null || d.Name == name)
            && (enabled is null || d.Enabled == !(enabled.Equals("false", StringComparison.OrdinalIgnoreCase) || enabled == "0")));
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, IdentityViews.Collection(context, "domains", list.Select(d => IdentityViews.Domain(context, d)))).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "create_domain").ConfigureAwait(false);
        var entity = await KeystoneInput.EntityAsync(context.Request, "domain", context.RequestAborted).ConfigureAwait(false);
        var domain = await domains.CreateAsync(KeystoneInput.Name(entity, "name", 64, required: true)!, KeystoneInput.Text(entity, "description", 65535),
            KeystoneInput.Bool(entity, "enabled") ?? true, context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status201Created, new { domain = IdentityViews.Domain(context, domain) }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var id = KeystoneInput.Route(context, "domainId");
        await callers.AuthorizeAsync(context, "get_domain", read: true, self: c => (c.DomainId ?? Domain.DefaultId) == id).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { domain = IdentityViews.Domain(context, await domains.GetAsync(id, context.RequestAborted).ConfigureAwait(false)) })
            .ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "update_domain").ConfigureAwait(false);
        var entity = await KeystoneInput.EntityAsync(context.Request, "domain", context.RequestAborted).ConfigureAwait(false);
        var domain = await domains.UpdateAsync(KeystoneInput.Route(context, "domainId"), KeystoneInput.Name(entity, "name", 64, required: false),
            KeystoneInput.Text(entity, "description", 65535), KeystoneInput.Bool(entity, "enabled"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { domain = IdentityViews.Domain(context, domain) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "delete_domain").ConfigureAwait(false);
        await domains.DeleteAsync(KeystoneInput.Route(context, "domainId"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
