using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// <c>/v3/{project_id}/snapshots</c>: create (of an available volume; an in-use one with <c>force</c>), list and detail
/// (filters name, status, volume_id; paging), show, update and delete. Another project's snapshot is not found.
/// </summary>
public sealed class CinderSnapshotsRoutes(CinderCaller caller, VolumeApi volumes)
{
    private static readonly CinderPaging<SnapshotInfo> Pages = new(new Dictionary<string, Func<SnapshotInfo, IComparable?>>(StringComparer.Ordinal)
    {
        ["id"] = s => s.Uuid,
        ["name"] = s => s.Name,
        ["status"] = s => s.Status,
        ["size"] = s => s.SizeGb,
        ["created_at"] = s => s.CreatedAt,
        ["updated_at"] = s => s.UpdatedAt,
    }, s => s.Uuid);

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        const string Root = "/v3/{project_id}/snapshots";
        app.MapPost(Root, CreateAsync);
        app.MapGet(Root, ListAsync);
        app.MapGet(Root + "/detail", ListAsync);
        app.MapGet(Root + "/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var snapshot = await volumes.GetSnapshotAsync(ctx, CinderCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { snapshot = CinderSnapshotView.Of(context, snapshot) }).ConfigureAwait(false);
        });
        app.MapPut(Root + "/{id}", UpdateAsync);
        app.MapDelete(Root + "/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            await volumes.DeleteSnapshotAsync(ctx, CinderCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status202Accepted);
        });
    }

    private async Task CreateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "snapshot");
        var volumeId = CinderInput.Text(body, "volume_id") ?? throw CloudException.Invalid("Invalid input received: 'volume_id' is a required property");
        var snapshot = await volumes.CreateSnapshotAsync(ctx, volumeId,
            CinderInput.Text(body, "name", "display_name"), CinderInput.Text(body, "description", "display_description"),
            CinderInput.Boolean(body, "force") ?? false, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status202Accepted, new { snapshot = CinderSnapshotView.Of(context, snapshot) }).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var query = context.Request.Query;
        var all = ctx.IsAdmin && CinderCaller.Flag(context, "all_tenants");
        var volumeId = query["volume_id"].ToString() is { Length: > 0 } v ? v : null;
        IEnumerable<SnapshotInfo> rows = await volumes.ListSnapshotsAsync(ctx, all, volumeId, context.RequestAborted).ConfigureAwait(false);
        if (query["name"].ToString() is { Length: > 0 } name)
        {
            rows = rows.Where(s => s.Name == name);
        }
        if (query["status"].ToString() is { Length: > 0 } status)
        {
            rows = rows.Where(s => s.Status == status);
        }
        var (page, more) = Pages.Apply(context, rows);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new Dictionary<string, object>
        {
            ["snapshots"] = page.Select(s => CinderSnapshotView.Of(context, s)),
            ["snapshots_links"] = Pages.NextLink(context, page, more),
        }).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "snapshot");
        var snapshot = await volumes.UpdateSnapshotAsync(ctx, CinderCaller.Route(context),
            CinderInput.Text(body, "name", "display_name"), CinderInput.Text(body, "description", "display_description"), context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { snapshot = CinderSnapshotView.Of(context, snapshot) }).ConfigureAwait(false);
    }
}
