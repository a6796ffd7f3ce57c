using Cloud.Modules.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>
/// <c>GET /v3/role_assignments</c> with Keystone's filters (<c>user.id</c>, <c>group.id</c>, <c>role.id</c>, <c>scope.project.id</c>,
/// <c>scope.domain.id</c>, <c>scope.system</c>, <c>effective</c>, <c>include_names</c>, <c>include_subtree</c>) and its links.
/// </summary>
public sealed class KeystoneRoleAssignmentsRoutes(KeystoneCaller callers, AssignmentApi assignments, RoleApi roles, UserApi users, GroupApi groups,
    ProjectApi projects, DomainApi domains) : IKeystoneRoutes
{
    public void Map(WebApplication app) => app.MapGet("/v3/role_assignments", ListAsync);

    private async Task ListAsync(HttpContext context)
    {
        var userId = KeystoneInput.Query(context, "user.id");
        await callers.AuthorizeAsync(context, "list_role_assignments", read: true, self: c => userId is not null && c.UserId == userId).ConfigureAwait(false);
        var projectId = KeystoneInput.Query(context, "scope.project.id");
        var subtree = KeystoneInput.Flag(context, "include_subtree");
        if (subtree && projectId is null)
        {
            throw Kernel.CloudException.Invalid("scope.project.id needs to be specified if include_subtree is also specified.");
        }
        var query = new AssignmentQuery(userId, KeystoneInput.Query(context, "group.id"), KeystoneInput.Query(context, "role.id"), projectId,
            KeystoneInput.Query(context, "scope.domain.id"), KeystoneInput.Query(context, "scope.system") is not null, KeystoneInput.Flag(context, "effective"), subtree);
        if (query.Effective && query.GroupId is not null)
        {
            throw Kernel.CloudException.Invalid("Combining effective and group filter will always result in an empty list.");
        }
        var rows = await assignments.ListAsync(query, context.RequestAborted).ConfigureAwait(false);
        var names = KeystoneInput.Flag(context, "include_names") ? await NamesAsync(context.RequestAborted).ConfigureAwait(false) : null;
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, IdentityViews.Collection(context, "role_assignments", rows.Select(r => View(context, r, names))))
            .ConfigureAwait(false);
    }

    /// <summary>One assignment: role, user or group, scope, and the links Keystone gives (the grant, the group membership, the prior role).</summary>
    private static Dictionary<string, object?> View(HttpContext context, EffectiveAssignment row, IReadOnlyDictionary<string, (string Name, string? DomainId)>? names)
    {
        var a = row.Assignment;
        object Ref(string id, bool withDomain)
        {
            if (names is null || !names.TryGetValue(id, out var named))
            {
                return new { id };
            }
            if (!withDomain || named.DomainId is null)
            {
                return new { id, name = named.Name };
            }
            var domainName = names.TryGetValue(named.DomainId, out var d) ? d.Name : named.DomainId;
            return new { id, name = named.Name, domain = new { id = named.DomainId, name = domainName } };
        }
        var targetKind = a.OnProject ? "projects" : a.OnDomain ? "domains" : "system";
        var actorKind = a.IsGroup ? "groups" : "users";
        var scopeTarget = row.InheritedFromId ?? a.TargetId;
        var scopeKind = row.InheritedFromId is not null ? (names?.ContainsKey(scopeTarget) == true && names[scopeTarget].DomainId is null ? "domain" : "project")
            : a.OnProject ? "project" : a.OnDomain ? "domain" : "system";
        var scope = new Dictionary<string, object?>
        {
            [scopeKind] = a.OnSystem ? new { all = true } : Ref(scopeTarget, scopeKind == "project"),
        };
        if (a.Inherited || row.InheritedFromId is not null)
        {
            scope["OS-INHERIT:inherited_to"] = "projects";
        }
        var grant = a.OnSystem
            ? $"system/{actorKind}/{a.ActorId}/roles/{row.PriorRoleId ?? a.RoleId}"
            : $"{(a.Inherited ? "OS-INHERIT/" : "")}{targetKind}/{a.TargetId}/{actorKind}/{a.ActorId}/roles/{row.PriorRoleId ?? a.RoleId}{(a.Inherited ? "/inherited_to_projects" : "")}";
        var links = new Dictionary<string, object?> { ["assignment"] = IdentityViews.Url(context, row.ViaGroupId is null ? grant : grant.Replace($"users/{a.ActorId}", $"groups/{row.ViaGroupId}", StringComparison.Ordinal)) };
        if (row.ViaGroupId is not null)
        {
            links["membership"] = IdentityViews.Url(context, $"groups/{row.ViaGroupId}/users/{a.ActorId}");
        }
        if (row.PriorRoleId is not null)
        {
            links["prior_role"] = IdentityViews.Url(context, $"roles/{row.PriorRoleId}");
        }
        return new Dictionary<string, object?>
        {
            ["role"] = Ref(a.RoleId, false),
            [a.IsGroup ? "group" : "user"] = Ref(a.ActorId, true),
            ["scope"] = scope,
            ["links"] = links,
        };
    }

    /// <summary>Names (and domains) of every role, user, group, project and domain, by id, for <c>include_names</c>.</summary>
    private async Task<IReadOnlyDictionary<string, (string Name, string? DomainId)>> NamesAsync(CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, (string, string?)>(StringComparer.Ordinal);
        foreach (var d in await domains.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            names[d.Id] = (d.Name, null);
        }
        foreach (var r in await roles.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            names[r.Id] = (r.Name, null);
        }
        foreach (var u in await users.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            names[u.Id] = (u.Name, u.DomainId);
        }
        foreach (var g in await groups.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            names[g.Id] = (g.Name, g.DomainId);
        }
        foreach (var p in await projects.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            names[p.Id] = (p.Name, p.DomainId);
        }
        return names;
    }
}
