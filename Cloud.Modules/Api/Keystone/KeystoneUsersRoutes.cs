using Cloud.Modules.Identity;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary><c>/v3/users</c>: create, list, show, update, delete, the user's own password change and the user's groups.</summary>
public sealed class KeystoneUsersRoutes(KeystoneCaller callers, UserApi users, GroupApi groups) : IKeystoneRoutes
{
    public void Map(WebApplication app)
    {
        app.MapGet("/v3/users", ListAsync);
        app.MapPost("/v3/users", CreateAsync);
        app.MapGet("/v3/users/{userId}", ShowAsync);
        app.MapMethods("/v3/users/{userId}", ["PATCH"], UpdateAsync);
        app.MapDelete("/v3/users/{userId}", DeleteAsync);
        app.MapPost("/v3/users/{userId}/password", ChangePasswordAsync);
        app.MapGet("/v3/users/{userId}/groups", GroupsAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "list_users", read: true).ConfigureAwait(false);
        var name = KeystoneInput.Query(context, "name");
        var domain = KeystoneInput.Query(context, "domain_id");
        var list = (await users.ListAsync(context.RequestAborted).ConfigureAwait(false))
            .Where(u => (name is null || u.Name == name) && (domain is null || u.DomainId == domain));
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, IdentityViews.Collection(context, "users", list.Select(u => IdentityViews.User(context, u)))).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var caller = await callers.AuthorizeAsync(context, "create_user").ConfigureAwait(false);
        var entity = await KeystoneInput.EntityAsync(context.Request, "user", context.RequestAborted).ConfigureAwait(false);
        var user = await users.CreateAsync(
            KeystoneInput.Name(entity, "name", 255, required: true)!,
            KeystoneJson.String(entity, "domain_id") ?? caller.DomainId ?? Domain.DefaultId,
            Password(entity),
            KeystoneInput.Bool(entity, "enabled") ?? true,
            KeystoneJson.String(entity, "default_project_id"),
            KeystoneInput.Text(entity, "email"),
            KeystoneInput.Text(entity, "description", 65535),
            context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status201Created, new { user = IdentityViews.User(context, user) }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var id = KeystoneInput.Route(context, "userId");
        await callers.AuthorizeAsync(context, "get_user", read: true, self: c => c.UserId == id).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { user = IdentityViews.User(context, await users.GetAsync(id, context.RequestAborted).ConfigureAwait(false)) })
            .ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "update_user").ConfigureAwait(false);
        var entity = await KeystoneInput.EntityAsync(context.Request, "user", context.RequestAborted).ConfigureAwait(false);
        if (KeystoneInput.Has(entity, "domain_id") || KeystoneInput.Has(entity, "id"))
        {
            throw CloudException.Invalid("Invalid input for field 'domain_id': a user's domain and id cannot be updated.");
        }
        var user = await users.UpdateAsync(KeystoneInput.Route(context, "userId"), KeystoneInput.Name(entity, "name", 255, required: false),
            KeystoneInput.Bool(entity, "enabled"), KeystoneJson.String(entity, "default_project_id"), KeystoneInput.Text(entity, "email"),
            KeystoneInput.Text(entity, "description", 65535), Password(entity), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { user = IdentityViews.UpdatedUser(context, user) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "delete_user").ConfigureAwait(false);
        await users.DeleteAsync(KeystoneInput.Route(context, "userId"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Keystone lets only the user themself change their password this way, with the original one.</summary>
    private async Task ChangePasswordAsync(HttpContext context)
    {
        var id = KeystoneInput.Route(context, "userId");
        await callers.AuthorizeAsync(context, "change_password", self: (TokenPayload c) => c.UserId == id).ConfigureAwait(false);
        var entity = await KeystoneInput.EntityAsync(context.Request, "user", context.RequestAborted).ConfigureAwait(false);
        var original = KeystoneJson.String(entity, "original_password") ?? throw CloudException.Invalid("Invalid input for field 'original_password': 'original_password' is a required property.");
        var password = Password(entity) ?? throw CloudException.Invalid("Invalid input for field 'password': 'password' is a required property.");
        await users.ChangePasswordAsync(id, original, password, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task GroupsAsync(HttpContext context)
    {
        var id = KeystoneInput.Route(context, "userId");
        await callers.AuthorizeAsync(context, "list_groups_for_user", read: true, self: c => c.UserId == id).ConfigureAwait(false);
        await users.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        var list = await groups.OfUserAsync(id, context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, IdentityViews.Collection(context, "groups", list.Select(g => MembershipView(context, g)))).ConfigureAwait(false);
    }

    /// <summary>A group the user is in, as Keystone lists them: with when the membership ends (never; cloudd has no federated, expiring memberships).</summary>
    private static Dictionary<string, object?> MembershipView(HttpContext context, Group group)
    {
        var view = IdentityViews.Group(context, group);
        view["membership_expires_at"] = null;
        return view;
    }

    /// <summary>A password of 1 to 4096 characters (Keystone's limit), or null when absent.</summary>
    private static string? Password(System.Text.Json.JsonElement entity) =>
        KeystoneJson.String(entity, "password") is { } password && (password.Length is 0 or > 4096)
            ? throw CloudException.Invalid("Invalid input for field 'password': it must be 1 to 4096 characters.")
            : KeystoneJson.String(entity, "password");
}
