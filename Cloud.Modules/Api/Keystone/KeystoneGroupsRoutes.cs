using Cloud.Modules.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary><c>/v3/groups</c>: create, list, show, update, delete, and the members (list, add, check, remove).</summary>
public sealed class KeystoneGroupsRoutes(KeystoneCaller callers, GroupApi groups, UserApi users) : IKeystoneRoutes
{
    public void Map(WebApplication app)
    {
        app.MapGet("/v3/groups", ListAsync);
        app.MapPost("/v3/groups", CreateAsync);
        app.MapGet("/v3/groups/{groupId}", ShowAsync);
        app.MapMethods("/v3/groups/{groupId}", ["PATCH"], UpdateAsync);
        app.MapDelete("/v3/groups/{groupId}", DeleteAsync);
        app.MapGet("/v3/groups/{groupId}/users", MembersAsync);
        app.MapPut("/v3/groups/{groupId}/users/{userId}", AddMemberAsync);
        app.MapMethods("/v3/groups/{groupId}/users/{userId}", ["HEAD", "GET"], CheckMemberAsync);
        app.MapDelete("/v3/groups/{groupId}/users/{userId}", RemoveMemberAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "list_groups", read: true).ConfigureAwait(false);
        var name = KeystoneInput.Query(context, "name");
        var domain = KeystoneInput.Query(context, "domain_id");
        var list = (await groups.ListAsync(context.RequestAborted).ConfigureAwait(false)).Where(g => (name is null || g.Name == name) && (domain is null || g.DomainId == domain));
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, IdentityViews.Collection(context, "groups", list.Select(g => IdentityViews.Group(context, g)))).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var caller = await callers.AuthorizeAsync(context, "create_group").ConfigureAwait(false);
        var entity = await KeystoneInput.EntityAsync(context.Request, "group", context.RequestAborted).ConfigureAwait(false);
        var group = await groups.CreateAsync(KeystoneInput.Name(entity, "name", 64, required: true)!, KeystoneJson.String(entity, "domain_id") ?? caller.DomainId ?? Domain.DefaultId,
            KeystoneInput.Text(entity, "description", 65535), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status201Created, new { group = IdentityViews.Group(context, group) }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "get_group", read: true).ConfigureAwait(false);
        var group = await groups.GetAsync(KeystoneInput.Route(context, "groupId"), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { group = IdentityViews.Group(context, group) }).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "update_group").ConfigureAwait(false);
        var entity = await KeystoneInput.EntityAsync(context.Request, "group", context.RequestAborted).ConfigureAwait(false);
        var group = await groups.UpdateAsync(KeystoneInput.Route(context, "groupId"), KeystoneInput.Name(entity, "name", 64, required: false),
            KeystoneInput.Text(entity, "description", 65535), context.RequestAborted).ConfigureAwait(false);
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { group = IdentityViews.Group(context, group) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "delete_group").ConfigureAwait(false);
        await groups.DeleteAsync(KeystoneInput.Route(context, "groupId"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task MembersAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "list_users_in_group", read: true).ConfigureAwait(false);
        var group = await groups.GetAsync(KeystoneInput.Route(context, "groupId"), context.RequestAborted).ConfigureAwait(false);
        var members = new List<object>();
        foreach (var id in await groups.MemberIdsAsync(group.Id, context.RequestAborted).ConfigureAwait(false))
        {
            if (await users.FindAsync(id, context.RequestAborted).ConfigureAwait(false) is { } user)
            {
                members.Add(IdentityViews.User(context, user));
            }
        }
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, IdentityViews.Collection(context, "users", members)).ConfigureAwait(false);
    }

    private async Task AddMemberAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "add_user_to_group").ConfigureAwait(false);
        var (group, user) = await GroupAndUserAsync(context).ConfigureAwait(false);
        await groups.AddMemberAsync(group.Id, user.Id, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task CheckMemberAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "check_user_in_group", read: true).ConfigureAwait(false);
        var (group, user) = await GroupAndUserAsync(context).ConfigureAwait(false);
        if (!await groups.HasMemberAsync(group.Id, user.Id, context.RequestAborted).ConfigureAwait(false))
        {
            throw Kernel.CloudException.NotFound($"User {user.Id} is not a member of group {group.Id}.");
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task RemoveMemberAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "remove_user_from_group").ConfigureAwait(false);
        var (group, user) = await GroupAndUserAsync(context).ConfigureAwait(false);
        await groups.RemoveMemberAsync(group.Id, user.Id, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task<(Group Group, User User)> GroupAndUserAsync(HttpContext context) =>
        (await groups.GetAsync(KeystoneInput.Route(context, "groupId"), context.RequestAborted).ConfigureAwait(false),
            await users.GetAsync(KeystoneInput.Route(context, "userId"), context.RequestAborted).ConfigureAwait(false));
}
