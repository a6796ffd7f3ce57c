using System.Text.Json;
using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// <c>/v3/{project_id}/volumes</c>: create, list (summary and detail, with Cinder's filters and paging), show, update and
/// delete. Another project's volume is not found; <c>all_tenants</c> widens a list for an admin only.
/// </summary>
public sealed class CinderVolumesRoutes(CinderCaller caller, VolumeApi volumes)
{
    private static readonly CinderPaging<VolumeInfo> Pages = new(new Dictionary<string, Func<VolumeInfo, IComparable?>>(StringComparer.Ordinal)
    {
        ["id"] = v => v.Uuid,
        ["name"] = v => v.Name,
        ["status"] = v => v.Status,
        ["size"] = v => v.SizeGb,
        ["availability_zone"] = v => v.AvailabilityZone,
        ["created_at"] = v => v.CreatedAt,
        ["updated_at"] = v => v.UpdatedAt,
    }, v => v.Uuid);

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        const string Root = "/v3/{project_id}/volumes";
        app.MapPost(Root, CreateAsync);
        app.MapGet(Root, context => ListAsync(context, detail: false));
        app.MapGet(Root + "/detail", context => ListAsync(context, detail: true));
        app.MapGet(Root + "/{id}", ShowAsync);
        app.MapPut(Root + "/{id}", UpdateAsync);
        app.MapDelete(Root + "/{id}", DeleteAsync);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "volume");
        CinderInput.Unsupported(body, "backup_id", "Creating a volume from a backup");
        CinderInput.Unsupported(body, "consistencygroup_id", "Consistency groups");
        CinderInput.Unsupported(body, "group_id", "Groups");
        CinderInput.Unsupported(body, "source_replica", "Replication");
        CinderInput.Unsupported(body, "multiattach", "Multiattach");
        var request = new CreateVolumeRequest(
            CinderInput.Size(body, "size"),
            CinderInput.Text(body, "name", "display_name"),
            CinderInput.Text(body, "description", "display_description"),
            CinderInput.Text(body, "availability_zone"),
            CinderInput.Text(body, "snapshot_id"),
            CinderInput.Text(body, "source_volid"),
            CinderInput.Text(body, "volume_type"),
            CinderInput.Metadata(body),
            CinderInput.Text(body, "imageRef", "image_id"));
        if (request.SizeGb is null && request.SnapshotUuid is null && request.SourceVolumeUuid is null && request.ImageRef is null)
        {
            throw Kernel.CloudException.Invalid("Invalid input received: size must be given unless the volume comes from a snapshot, another volume or an image.");
        }
        var volume = await volumes.CreateAsync(ctx, request, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status202Accepted, new { volume = CinderVolumeView.Detail(context, ctx, volume) }).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, bool detail)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var query = context.Request.Query;
        var all = ctx.IsAdmin && CinderCaller.Flag(context, "all_tenants");
        var rows = await volumes.ListAsync(ctx, new VolumeListQuery(all, Filter(query, "name", "display_name"), Filter(query, "status")), context.RequestAborted).ConfigureAwait(false);
        IEnumerable<VolumeInfo> matching = rows;
        if (Filter(query, "availability_zone") is { } zone)
        {
            matching = matching.Where(v => v.AvailabilityZone == zone);
        }
        if (Filter(query, "bootable") is { } bootable)
        {
            matching = matching.Where(v => v.Bootable == bootable.ToLowerInvariant() is "true" or "1" or "yes");
        }
        if (all && Filter(query, "project_id") is { } project)
        {
            matching = matching.Where(v => v.ProjectId == project);
        }
        var (page, more) = Pages.Apply(context, matching);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new Dictionary<string, object>
        {
            ["volumes"] = page.Select(v => detail ? CinderVolumeView.Detail(context, ctx, v) : CinderVolumeView.Summary(context, v)),
            ["volumes_links"] = Pages.NextLink(context, page, more),
        }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var volume = await volumes.GetAsync(ctx, CinderCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { volume = CinderVolumeView.Detail(context, ctx, volume) }).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "volume");
        var known = new[] { "name", "display_name", "description", "display_description", "metadata" };
        if (body.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !known.Contains(n, StringComparer.Ordinal)) is { } unknown)
        {
            throw Kernel.CloudException.Invalid($"Invalid input for field/attribute volume. Additional properties are not allowed ('{unknown}' was unexpected)");
        }
        var volume = await volumes.UpdateAsync(ctx, CinderCaller.Route(context),
            CinderInput.Text(body, "name", "display_name"), CinderInput.Text(body, "description", "display_description"), CinderInput.Metadata(body),
            context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { volume = CinderVolumeView.Detail(context, ctx, volume) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        await volumes.DeleteAsync(ctx, CinderCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        NovaJson.Empty(context, StatusCodes.Status202Accepted);
    }

    private static string? Filter(IQueryCollection query, params string[] names) =>
        names.Select(n => query[n].ToString()).FirstOrDefault(v => v.Length > 0);
}
