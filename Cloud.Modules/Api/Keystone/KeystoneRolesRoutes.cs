using Cloud.Modules.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary><c>/v3/roles</c> (create, list, show, update, delete), implied roles and <c>/v3/role_inferences</c>.</summary>
public sealed class KeystoneRolesRoutes(KeystoneCaller callers, RoleApi roles, AssignmentApi assignments) : IKeystoneRoutes
{
    public void Map(WebApplication app)
    {
        app.MapGet("/v3/roles", ListAsync);
        app.MapPost("/v3/roles", CreateAsync);
        app.MapGet("/v3/roles/{roleId}", ShowAsync);
        app.MapMethods("/v3/roles/{roleId}", ["PATCH"], UpdateAsync);
        app.MapDelete("/v3/roles/{roleId}", DeleteAsync);
        app.MapGet("/v3/roles/{priorId}/implies", ImpliesAsync);
        app.MapPut("/v3/roles/{priorId}/implies/{impliedId}", ImplyAsync);
        app.MapMethods("/v3/roles/{priorId}/implies/{impliedId}", ["GET", "HEAD"], CheckImplicationAsync);
        app.MapDelete("/v3/roles/{priorId}/implies/{impliedId}", RemoveImplicationAsync);
        app.MapGet("/v3/role_inferences", InferencesAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "list_roles", read: true).ConfigureAwait(false);
        var name = KeystoneInput.Query(context, "name");
        var list = (await roles.ListAsync(context.RequestAborted).ConfigureAwait(false)).Where(r => name is null || r.Name == name);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, IdentityViews.Collection(context, "roles", list.Select(r => IdentityViews.Role(context, r)))).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "create_role").ConfigureAwait(false);
        var entity = await KeystoneInput.EntityAsync(context.Request, "role", context.RequestAborted).ConfigureAwait(false);
        var role = await roles.CreateAsync(KeystoneInput.Name(entity, "name", 255, required: true)!, KeystoneInput.Text(entity, "description"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status201Created, new { role = IdentityViews.Role(context, role) }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "get_role", read: true).ConfigureAwait(false);
        var role = await roles.GetAsync(KeystoneInput.Route(context, "roleId"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { role = IdentityViews.Role(context, role) }).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "update_role").ConfigureAwait(false);
        var entity = await KeystoneInput.EntityAsync(context.Request, "role", context.RequestAborted).ConfigureAwait(false);
        var role = await roles.UpdateAsync(KeystoneInput.Route(context, "roleId"), KeystoneInput.Name(entity, "name", 255, required: false),
            KeystoneInput.Text(entity, "description"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { role = IdentityViews.Role(context, role) }).ConfigureAwait(false);
    }

    /// <summary>Deletes the role; everyone who held it (directly or through a group) loses their tokens.</summary>
    private async Task DeleteAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "delete_role").ConfigureAwait(false);
        var id = KeystoneInput.Route(context, "roleId");
        var holders = await assignments.ListAsync(new AssignmentQuery(RoleId: id, Effective: true), context.RequestAborted).ConfigureAwait(false);
        await roles.DeleteAsync(id, context.RequestAborted).ConfigureAwait(false);
        foreach (var user in holders.Select(h => h.Assignment.ActorId).Distinct())
        {
            await assignments.RevokeTokensOfAsync(user, null, context.RequestAborted).ConfigureAwait(false);
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task ImpliesAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "list_implied_roles", read: true).ConfigureAwait(false);
        var prior = await roles.GetAsync(KeystoneInput.Route(context, "priorId"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            role_inference = await InferenceAsync(context, prior).ConfigureAwait(false),
            links = new { self = IdentityViews.Url(context, $"roles/{prior.Id}/implies") },
        }).ConfigureAwait(false);
    }

    private async Task ImplyAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "create_implied_role").ConfigureAwait(false);
        var (prior, implied) = (KeystoneInput.Route(context, "priorId"), KeystoneInput.Route(context, "impliedId"));
        await roles.ImplyAsync(prior, implied, context.RequestAborted).ConfigureAwait(false);
        await WriteImplicationAsync(context, StatusCodes.Status201Created, prior, implied).ConfigureAwait(false);
    }

    private async Task CheckImplicationAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "get_implied_role", read: true).ConfigureAwait(false);
        var (prior, implied) = (KeystoneInput.Route(context, "priorId"), KeystoneInput.Route(context, "impliedId"));
        if (!(await roles.ImplicationsAsync(context.RequestAborted).ConfigureAwait(false)).Contains((prior, implied)))
        {
            throw Kernel.CloudException.NotFound($"{prior} does not imply {implied}.");
        }
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        await WriteImplicationAsync(context, StatusCodes.Status200OK, prior, implied).ConfigureAwait(false);
    }

    private async Task RemoveImplicationAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "delete_implied_role").ConfigureAwait(false);
        await roles.RemoveImplicationAsync(KeystoneInput.Route(context, "priorId"), KeystoneInput.Route(context, "impliedId"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task InferencesAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "list_role_inference_rules", read: true).ConfigureAwait(false);
        var all = await roles.ListAsync(context.RequestAborted).ConfigureAwait(false);
        var pairs = await roles.ImplicationsAsync(context.RequestAborted).ConfigureAwait(false);
        var inferences = new List<object>();
        foreach (var prior in all.Where(r => pairs.Any(p => p.Prior == r.Id)))
        {
            inferences.Add(await InferenceAsync(context, prior).ConfigureAwait(false));
        }
        // Keystone's role_inferences answer has no "links", unlike its other collections.
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { role_inferences = inferences }).ConfigureAwait(false);
    }

    private async Task<object> InferenceAsync(HttpContext context, Role prior)
    {
        var pairs = await roles.ImplicationsAsync(context.RequestAborted).ConfigureAwait(false);
        var all = await roles.ListAsync(context.RequestAborted).ConfigureAwait(false);
        var implies = all.Where(r => pairs.Contains((prior.Id, r.Id))).Select(r => IdentityViews.RoleRef(context, r));
        return new { prior_role = IdentityViews.RoleRef(context, prior), implies };
    }

    private async Task WriteImplicationAsync(HttpContext context, int status, string priorId, string impliedId)
    {
        var prior = await roles.GetAsync(priorId, context.RequestAborted).ConfigureAwait(false);
        var implied = await roles.GetAsync(impliedId, context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, status, new
        {
            role_inference = new { prior_role = IdentityViews.RoleRef(context, prior), implies = IdentityViews.RoleRef(context, implied) },
            links = new { self = IdentityViews.Url(context, $"roles/{prior.Id}/implies/{implied.Id}") },
        }).ConfigureAwait(false);
    }
}
