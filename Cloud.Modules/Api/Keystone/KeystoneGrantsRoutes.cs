using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>
/// Role grants: <c>/v3/{projects|domains}/{id}/{users|groups}/{id}/roles[/{role}]</c>, <c>/v3/system/{users|groups}/{id}/roles[/{role}]</c>
/// and the inherited ones under <c>/v3/OS-INHERIT/.../inherited_to_projects</c>: list, grant (PUT), check (HEAD/GET), revoke (DELETE).
/// </summary>
public sealed class KeystoneGrantsRoutes(KeystoneCaller callers, AssignmentApi assignments, RoleApi roles, UserApi users, GroupApi groups,
    ProjectApi projects, DomainApi domains) : IKeystoneRoutes
{
    public void Map(WebApplication app)
    {
        foreach (var actor in new[] { "users", "groups" })
        {
            foreach (var target in new[] { "projects", "domains" })
            {
                MapGrants(app, $"/v3/{target}/{{targetId}}/{actor}/{{actorId}}/roles", target, actor, inherited: false);
                MapGrants(app, $"/v3/OS-INHERIT/{target}/{{targetId}}/{actor}/{{actorId}}/roles", target, actor, inherited: true);
            }
            MapGrants(app, $"/v3/system/{actor}/{{actorId}}/roles", "system", actor, inherited: false);
        }
    }

    private void MapGrants(WebApplication app, string roles, string target, string actor, bool inherited)
    {
        var suffix = inherited ? "/inherited_to_projects" : "";
        var scope = target == "system" ? "system" : target.TrimEnd('s');
        var who = actor.TrimEnd('s');
        app.MapGet(roles + suffix, context => ListAsync(context, target, actor, inherited, $"list_{(target == "system" ? "system_grants_for" : "grants")}"));
        app.MapPut($"{roles}/{{roleId}}{suffix}", async context =>
        {
            await callers.AuthorizeAsync(context, target == "system" ? $"create_system_grant_for_{who}" : "create_grant").ConfigureAwait(false);
            await assignments.GrantAsync(await AssignmentAsync(context, target, actor, inherited).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapMethods($"{roles}/{{roleId}}{suffix}", ["HEAD", "GET"], async context =>
        {
            await callers.AuthorizeAsync(context, target == "system" ? $"check_system_grant_for_{who}" : "check_grant", read: true).ConfigureAwait(false);
            var assignment = await AssignmentAsync(context, target, actor, inherited).ConfigureAwait(false);
            if (!await assignments.ExistsAsync(assignment, context.RequestAborted).ConfigureAwait(false))
            {
                throw CloudException.NotFound($"Could not find role assignment with role: {assignment.RoleId}, {who}: {assignment.ActorId}, {scope}: {assignment.TargetId}.");
            }
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapDelete($"{roles}/{{roleId}}{suffix}", async context =>
        {
            await callers.AuthorizeAsync(context, target == "system" ? $"revoke_system_grant_for_{who}" : "revoke_grant").ConfigureAwait(false);
            await assignments.RevokeAsync(await AssignmentAsync(context, target, actor, inherited).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
    }

    private async Task ListAsync(HttpContext context, string target, string actor, bool inherited, string rule)
    {
        await callers.AuthorizeAsync(context, rule, read: true).ConfigureAwait(false);
        var (actorId, targetId) = await CheckedAsync(context, target, actor).ConfigureAwait(false);
        var rows = await assignments.ListAsync(new AssignmentQuery(
            UserId: actor == "users" ? actorId : null, GroupId: actor == "groups" ? actorId : null,
            ProjectId: target == "projects" ? targetId : null, DomainId: target == "domains" ? targetId : null, System: target == "system"), context.RequestAborted).ConfigureAwait(false);
        var ids = rows.Where(r => r.Assignment.Inherited == inherited).Select(r => r.Assignment.RoleId).ToHashSet(StringComparer.Ordinal);
        var granted = (await roles.ListAsync(context.RequestAborted).ConfigureAwait(false)).Where(r => ids.Contains(r.Id));
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, IdentityViews.Collection(context, "roles", granted.Select(r => IdentityViews.Role(context, r)))).ConfigureAwait(false);
    }

    /// <summary>The assignment the route names, once its actor, target and role are known to exist (Keystone's 404s otherwise).</summary>
    private async Task<RoleAssignment> AssignmentAsync(HttpContext context, string target, string actor, bool inherited)
    {
        var (actorId, targetId) = await CheckedAsync(context, target, actor).ConfigureAwait(false);
        var role = await roles.GetAsync(KeystoneInput.Route(context, "roleId"), context.RequestAborted).ConfigureAwait(false);
        return new RoleAssignment(RoleAssignment.TypeOf(actor == "groups", target.TrimEnd('s')), actorId, targetId, role.Id, inherited);
    }

    private async Task<(string ActorId, string TargetId)> CheckedAsync(HttpContext context, string target, string actor)
    {
        var ct = context.RequestAborted;
        var actorId = KeystoneInput.Route(context, "actorId");
        _ = actor == "users" ? (object)await users.GetAsync(actorId, ct).ConfigureAwait(false) : await groups.GetAsync(actorId, ct).ConfigureAwait(false);
        if (target == "system")
        {
            return (actorId, RoleAssignment.SystemTarget);
        }
        var targetId = KeystoneInput.Route(context, "targetId");
        _ = target == "projects" ? (object)await projects.GetAsync(targetId, ct).ConfigureAwait(false) : await domains.GetAsync(targetId, ct).ConfigureAwait(false);
        return (actorId, targetId);
    }
}
