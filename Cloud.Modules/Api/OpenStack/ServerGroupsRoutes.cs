using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>/v2.1/os-server-groups</c>: list (<c>all_projects</c> for admins, <c>limit</c>/<c>offset</c>), create (200, as nova
/// answers), show and delete. Below 2.64 a group has <c>policies</c> (one) and empty <c>metadata</c>; from 2.64
/// <c>policy</c> and <c>rules</c>; from 2.13 its project and user.
/// </summary>
public sealed class ServerGroupsRoutes(NovaCaller caller, ServerGroupApi groups) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-server-groups", ListAsync);
        app.MapPost("/v2.1/os-server-groups", CreateAsync);
        app.MapGet("/v2.1/os-server-groups/{id}", ShowAsync);
        app.MapDelete("/v2.1/os-server-groups/{id}", DeleteAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var offset = Paging(context, "offset") ?? 0;
        var limit = Math.Min(Paging(context, "limit") ?? NovaPaging.MaxLimit, NovaPaging.MaxLimit);
        var all = await groups.ListAsync(ctx, context.Request.Query.ContainsKey("all_projects"), context.RequestAborted).ConfigureAwait(false);
        var page = all.Skip(offset).Take(limit).ToList();
        var members = await groups.MembersAsync(page, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            server_groups = page.Select(g => View(context, g, members[g.Id])),
        }).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var asked = ServerGroupJson.Parse(await NovaJson.ReadAsync(context).ConfigureAwait(false), NovaVersions.Of(context));
        var group = await groups.CreateAsync(ctx, asked.Name, asked.Policy, asked.MaxServerPerHost, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { server_group = View(context, group, []) }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var group = await groups.GetAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var members = await groups.MembersAsync([group], context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { server_group = View(context, group, members[group.Id]) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        await groups.DeleteAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        NovaJson.Empty(context, StatusCodes.Status204NoContent);
    }

    private static Dictionary<string, object?> View(HttpContext context, ServerGroup group, IEnumerable<string> members)
    {
        var version = NovaVersions.Of(context);
        var view = new Dictionary<string, object?> { ["id"] = group.Uuid, ["name"] = group.Name };
        if (version.AtLeast(64))
        {
            view["policy"] = group.Policy;
            view["rules"] = group.MaxServerPerHost is { } max ? new Dictionary<string, object> { ["max_server_per_host"] = max } : new Dictionary<string, object>();
        }
        else
        {
            view["policies"] = new[] { group.Policy };
            view["metadata"] = new Dictionary<string, object>();
        }
        view["members"] = members.ToList();
        if (version.AtLeast(13))
        {
            view["project_id"] = group.ProjectId;
            view["user_id"] = group.UserId;
        }
        return view;
    }

    /// <summary>A non-negative integer query parameter, with nova's schema message otherwise.</summary>
    private static int? Paging(HttpContext context, string name)
    {
        if (!context.Request.Query.TryGetValue(name, out var values))
        {
            return null;
        }
        var text = values[^1] ?? "";
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw CloudException.Invalid($"Invalid input for query parameters {name}. Value: {text}. '{text}' does not match '^[0-9]*$'");
    }
}
