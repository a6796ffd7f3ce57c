using Cloud.Modules.Identity;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary>Domains, projects, users, groups and roles as Keystone v3 shows them (its <c>api/*.py</c> and response samples).</summary>
public static class IdentityViews
{
    public static string Url(HttpContext context, string path) => $"{context.Request.Scheme}://{context.Request.Host}/v3/{path}";

    /// <summary>A collection: <c>{"&lt;name&gt;": [...], "links": {...}}</c>.</summary>
    public static Dictionary<string, object?> Collection(HttpContext context, string name, IEnumerable<object> items) => new()
    {
        [name] = items,
        ["links"] = new { self = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}", previous = (string?)null, next = (string?)null },
    };

    public static Dictionary<string, object?> Domain(HttpContext context, Domain domain) => new()
    {
        ["id"] = domain.Id,
        ["name"] = domain.Name,
        ["description"] = domain.Description ?? "",
        ["enabled"] = domain.Enabled,
        ["tags"] = Array.Empty<string>(),
        ["options"] = new { },
        ["links"] = new { self = Url(context, $"domains/{domain.Id}") },
    };

    public static Dictionary<string, object?> Project(HttpContext context, Project project, IReadOnlyList<string> tags) => new()
    {
        ["id"] = project.Id,
        ["name"] = project.Name,
        ["domain_id"] = project.DomainId,
        ["description"] = project.Description,
        ["enabled"] = project.Enabled,
        ["parent_id"] = project.ParentId ?? project.DomainId,
        ["is_domain"] = false,
        ["tags"] = tags,
        ["options"] = new { },
        ["links"] = new { self = Url(context, $"projects/{project.Id}") },
    };

    public static Dictionary<string, object?> User(HttpContext context, User user)
    {
        var view = new Dictionary<string, object?>
        {
            ["id"] = user.Id,
            ["name"] = user.Name,
            ["domain_id"] = user.DomainId,
            ["enabled"] = user.Enabled,
            ["password_expires_at"] = null,
            ["options"] = new { },
            ["links"] = new { self = Url(context, $"users/{user.Id}") },
        };
        // Keystone shows these only when set (they live in its "extra").
        if (user.DefaultProjectId is not null)
        {
            view["default_project_id"] = user.DefaultProjectId;
        }
        if (user.Email is not null)
        {
            view["email"] = user.Email;
        }
        if (user.Description is not null)
        {
            view["description"] = user.Description;
        }
        return view;
    }

    /// <summary>
    /// Keystone's answer to a user PATCH also shows its "extra" column: the properties it keeps there (email and
    /// description; cloudd keeps no others).
    /// </summary>
    public static Dictionary<string, object?> UpdatedUser(HttpContext context, User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var view = User(context, user);
        var extra = new Dictionary<string, object?>();
        if (user.Description is not null)
        {
            extra["description"] = user.Description;
        }
        if (user.Email is not null)
        {
            extra["email"] = user.Email;
        }
        view["extra"] = extra;
        return view;
    }

    public static Dictionary<string, object?> Group(HttpContext context, Group group) => new()
    {
        ["id"] = group.Id,
        ["name"] = group.Name,
        ["domain_id"] = group.DomainId,
        ["description"] = group.Description ?? "",
        ["links"] = new { self = Url(context, $"groups/{group.Id}") },
    };

    public static Dictionary<string, object?> Role(HttpContext context, Role role) => new()
    {
        ["id"] = role.Id,
        ["name"] = role.Name,
        ["domain_id"] = null,
        ["description"] = role.Description,
        ["options"] = RoleOptions(role.Name),
        ["links"] = new { self = Url(context, $"roles/{role.Id}") },
    };

    /// <summary>
    /// A role's resource options: keystone-manage bootstrap makes admin, member and reader immutable, and Keystone shows
    /// that; other roles have none.
    /// </summary>
    public static object RoleOptions(string name) => name is Roles.Admin or Roles.Member or Roles.Reader ? new { immutable = true } : new { };

    /// <summary>A role as an implied-role document names it: id, name and link only.</summary>
    public static object RoleRef(HttpContext context, Role role) =>
        new { id = role.Id, name = role.Name, links = new { self = Url(context, $"roles/{role.Id}") } };
}
