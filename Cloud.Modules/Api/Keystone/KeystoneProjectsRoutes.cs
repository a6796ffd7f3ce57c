using Cloud.Modules.Api.Keystone.Schemas;
using Cloud.Modules.Identity;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Keystone;

/// <summary><c>/v3/projects</c>: create, list (with Keystone's filters), show, update, delete, and the tags of a project.</summary>
public sealed class KeystoneProjectsRoutes(KeystoneCaller callers, ProjectApi projects) : IKeystoneRoutes
{
    public void Map(WebApplication app)
    {
        app.MapGet("/v3/projects", ListAsync);
        app.MapPost("/v3/projects", CreateAsync);
        app.MapGet("/v3/projects/{projectId}", ShowAsync);
        app.MapMethods("/v3/projects/{projectId}", ["PATCH"], UpdateAsync);
        app.MapDelete("/v3/projects/{projectId}", DeleteAsync);
        app.MapGet("/v3/projects/{projectId}/tags", async context =>
        {
            var project = await ReadableAsync(context).ConfigureAwait(false);
            await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { tags = await projects.TagsAsync(project.Id, context.RequestAborted).ConfigureAwait(false) }).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Keystone's list_projects policy: admins and system readers see every project, a domain-scoped reader those of
    /// the domain; anyone else gets its 403 (they list their own with <c>/v3/auth/projects</c>).
    /// </summary>
    private async Task ListAsync(HttpContext context)
    {
        var caller = await callers.AuthorizeAsync(context, "list_projects", read: true, self: c => c.IsDomainScoped && c.Roles.Contains(Roles.Reader)).ConfigureAwait(false);
        var ct = context.RequestAborted;
        var list = await projects.ListAsync(ct).ConfigureAwait(false);
        var name = KeystoneInput.Query(context, "name");
        // A domain reader's token narrows the list to its domain, as Keystone's filter does.
        var domain = !KeystoneCaller.IsAdmin(caller) && caller.IsDomainScoped ? caller.DomainId : KeystoneInput.Query(context, "domain_id");
        var parent = KeystoneInput.Query(context, "parent_id");
        bool? enabled = KeystoneInput.Query(context, "enabled") is { } e ? !(e.Equals("false", StringComparison.OrdinalIgnoreCase) || e == "0") : null;
        var views = new List<object>();
        foreach (var p in list.Where(p => (name is null || p.Name == name) && (domain is null || p.DomainId == domain)
            && (parent is null || (p.ParentId ?? p.DomainId) == parent) && (enabled is null || p.Enabled == enabled)))
        {
            var tags = await projects.TagsAsync(p.Id, ct).ConfigureAwait(false);
            if (TagsMatch(context, tags))
            {
                views.Add(IdentityViews.Project(context, p, tags));
            }
        }
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, IdentityViews.Collection(context, "projects", views)).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var caller = await callers.AuthorizeAsync(context, "create_project").ConfigureAwait(false);
        var entity = await KeystoneInput.EntityAsync(context.Request, "project", context.RequestAborted).ConfigureAwait(false);
        if (!KeystoneInput.Has(entity, "name"))
        {
            throw KeystoneSchemaError.Required(ProjectCreateSchema.Schema, "name", entity);
        }
        if (KeystoneInput.Bool(entity, "is_domain") == true)
        {
            throw CloudException.Invalid("Invalid input for field 'is_domain': projects acting as domains are not supported; create a domain.");
        }
        var project = await projects.CreateAsync(
            KeystoneInput.Name(entity, "name", 64, required: true)!,
            KeystoneJson.String(entity, "domain_id") ?? (KeystoneJson.String(entity, "parent_id") is null ? caller.DomainId : null),
            KeystoneJson.String(entity, "parent_id"),
            KeystoneInput.Text(entity, "description", 65535),
            KeystoneInput.Bool(entity, "enabled") ?? true,
            KeystoneInput.Tags(entity) ?? [],
            context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, StatusCodes.Status201Created, project).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context) => await WriteAsync(context, StatusCodes.Status200OK, await ReadableAsync(context).ConfigureAwait(false)).ConfigureAwait(false);

    private async Task UpdateAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "update_project").ConfigureAwait(false);
        var entity = await KeystoneInput.EntityAsync(context.Request, "project", context.RequestAborted).ConfigureAwait(false);
        var id = KeystoneInput.Route(context, "projectId");
        foreach (var fixedField in new[] { "domain_id", "parent_id", "is_domain", "id" })
        {
            if (KeystoneInput.Has(entity, fixedField))
            {
                throw CloudException.Invalid($"Invalid input for field '{fixedField}': it cannot be updated.");
            }
        }
        var project = await projects.UpdateAsync(id, KeystoneInput.Name(entity, "name", 64, required: false), KeystoneInput.Text(entity, "description", 65535),
            KeystoneInput.Bool(entity, "enabled"), KeystoneInput.Tags(entity), context.RequestAborted).ConfigureAwait(false);
        var view = IdentityViews.Project(context, project, await projects.TagsAsync(project.Id, context.RequestAborted).ConfigureAwait(false));
        // Keystone's answer to a PATCH also shows its "extra" column: the properties its schema does not name, which cloudd does not keep.
        view["extra"] = new Dictionary<string, object?>();
        await KeystoneJson.WriteAsync(context, StatusCodes.Status200OK, new { project = view }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        await callers.AuthorizeAsync(context, "delete_project").ConfigureAwait(false);
        await projects.DeleteAsync(KeystoneInput.Route(context, "projectId"), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>The project of the route, for an admin, a system reader or a caller whose token is scoped to it.</summary>
    private async Task<Project> ReadableAsync(HttpContext context)
    {
        var id = KeystoneInput.Route(context, "projectId");
        await callers.AuthorizeAsync(context, "get_project", read: true, self: (TokenPayload c) => c.ProjectId == id).ConfigureAwait(false);
        return await projects.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task WriteAsync(HttpContext context, int status, Project project) =>
        await KeystoneJson.WriteAsync(context, status,
            new { project = IdentityViews.Project(context, project, await projects.TagsAsync(project.Id, context.RequestAborted).ConfigureAwait(false)) }).ConfigureAwait(false);

    /// <summary>Keystone's tag filters: <c>tags</c> (all of), <c>tags-any</c>, <c>not-tags</c> (not all of), <c>not-tags-any</c>.</summary>
    private static bool TagsMatch(HttpContext context, IReadOnlyList<string> tags)
    {
        static string[]? Of(HttpContext c, string name) => KeystoneInput.Query(c, name)?.Split(',', StringSplitOptions.RemoveEmptyEntries);
        return (Of(context, "tags") is not { } all || all.All(tags.Contains))
            && (Of(context, "tags-any") is not { } any || any.Any(tags.Contains))
            && (Of(context, "not-tags") is not { } notAll || !notAll.All(tags.Contains))
            && (Of(context, "not-tags-any") is not { } notAny || !notAny.Any(tags.Contains));
    }
}
