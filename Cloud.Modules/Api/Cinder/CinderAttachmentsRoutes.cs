using System.Text.Json;
using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// The attachments API (3.27+, <c>os-complete</c> 3.44+), the flow nova's cinder client uses since Queens: create reserves
/// the volume for an instance (and connects it when a connector is given), update connects it, <c>os-complete</c> makes it
/// in-use, delete detaches it. A volume has one attachment here (no multiattach), so an attachment is found by its volume.
/// </summary>
public sealed class CinderAttachmentsRoutes(CinderCaller caller, VolumeApi volumes)
{
    private const int Since = 27;

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        const string Root = "/v3/{project_id}/attachments";
        app.MapPost(Root, CreateAsync);
        app.MapGet(Root, context => ListAsync(context, detail: false));
        app.MapGet(Root + "/detail", context => ListAsync(context, detail: true));
        app.MapGet(Root + "/{id}", async context =>
        {
            var (_, volume) = await AttachmentAsync(context).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { attachment = View(volume, null) }).ConfigureAwait(false);
        });
        app.MapPut(Root + "/{id}", UpdateAsync);
        app.MapPost(Root + "/{id}/action", CompleteAsync);
        app.MapDelete(Root + "/{id}", DeleteAsync);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var ctx = await CallerAsync(context).ConfigureAwait(false);
        var body = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "attachment");
        var volumeId = CinderInput.Text(body, "volume_uuid") ?? throw CloudException.Invalid("Invalid input received: 'volume_uuid' is a required property");
        var instance = CinderInput.Text(body, "instance_uuid") ?? throw CloudException.Invalid("Invalid input received: 'instance_uuid' is a required property");
        var connector = body.TryGetProperty("connector", out var given) && given.ValueKind != JsonValueKind.Null ? given : (JsonElement?)null;
        var mountpoint = connector is { } c && c.ValueKind == JsonValueKind.Object ? CinderInput.Text(c, "mountpoint") : null;
        var volume = await volumes.ReserveAsync(ctx, volumeId, instance, mountpoint, false, null, context.RequestAborted).ConfigureAwait(false);
        var connection = connector is { } withConnector
            ? await volumes.InitializeConnectionAsync(ctx, volume.Uuid, CinderConnector.Host(withConnector), context.RequestAborted).ConfigureAwait(false)
            : null;
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { attachment = View(volume, connection) }).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, bool detail)
    {
        var ctx = await CallerAsync(context).ConfigureAwait(false);
        var all = ctx.IsAdmin && CinderCaller.Flag(context, "all_tenants");
        IEnumerable<VolumeInfo> attached = (await volumes.ListAsync(ctx, new VolumeListQuery(all), context.RequestAborted).ConfigureAwait(false))
            .Where(v => v.AttachmentId is not null);
        if (context.Request.Query["volume_id"].ToString() is { Length: > 0 } volumeId)
        {
            attached = attached.Where(v => v.Uuid == volumeId);
        }
        if (context.Request.Query["instance_id"].ToString() is { Length: > 0 } instanceId)
        {
            attached = attached.Where(v => v.InstanceUuid == instanceId);
        }
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            attachments = attached.Select(v => detail ? View(v, null) : Summary(v)),
        }).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var (ctx, volume) = await AttachmentAsync(context).ConfigureAwait(false);
        var body = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "attachment");
        var connection = await volumes.InitializeConnectionAsync(ctx, volume.Uuid, CinderConnector.Host(CinderConnector.Of(body)), context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { attachment = View(volume, connection) }).ConfigureAwait(false);
    }

    private async Task CompleteAsync(HttpContext context)
    {
        var (ctx, volume) = await AttachmentAsync(context).ConfigureAwait(false);
        CinderVersions.Require(context, 44);
        var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
        if (!body.TryGetProperty("os-complete", out _))
        {
            throw CloudException.Invalid($"There is no such action: {body.EnumerateObject().FirstOrDefault().Name}");
        }
        if (volume.Status == VolumeStatuses.Attaching)
        {
            await volumes.AttachedAsync(ctx, volume.Uuid, volume.InstanceUuid ?? "", volume.AttachedHost ?? "", volume.Mountpoint ?? "", context.RequestAborted).ConfigureAwait(false);
        }
        NovaJson.Empty(context, StatusCodes.Status204NoContent);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var (ctx, volume) = await AttachmentAsync(context).ConfigureAwait(false);
        var ct = context.RequestAborted;
        switch (volume.Status)
        {
            case VolumeStatuses.Attaching:
                await volumes.UnreserveAsync(ctx, volume.Uuid, ct).ConfigureAwait(false);
                break;
            case VolumeStatuses.InUse:
                await volumes.BeginDetachingAsync(ctx, volume.Uuid, ct).ConfigureAwait(false);
                await volumes.DetachedAsync(ctx, volume.Uuid, ct).ConfigureAwait(false);
                break;
            default:
                await volumes.DetachedAsync(ctx, volume.Uuid, ct).ConfigureAwait(false);
                break;
        }
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { attachments = Array.Empty<object>() }).ConfigureAwait(false);
    }

    private async Task<RequestContext> CallerAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        CinderVersions.Require(context, Since);
        return ctx;
    }

    /// <summary>The caller's volume holding the attachment of the route, else 404.</summary>
    private async Task<(RequestContext Context, VolumeInfo Volume)> AttachmentAsync(HttpContext context)
    {
        var ctx = await CallerAsync(context).ConfigureAwait(false);
        var id = CinderCaller.Route(context);
        var volume = (await volumes.ListAsync(ctx, new VolumeListQuery(), context.RequestAborted).ConfigureAwait(false)).FirstOrDefault(v => v.AttachmentId == id)
            ?? throw CloudException.NotFound($"VolumeAttachment {id} could not be found.");
        return (ctx, volume);
    }

    private static string Status(VolumeInfo volume) => volume.Status switch
    {
        VolumeStatuses.InUse => "attached",
        VolumeStatuses.Detaching => "detaching",
        _ => "reserved",
    };

    private static Dictionary<string, object?> Summary(VolumeInfo volume) => new(StringComparer.Ordinal)
    {
        ["id"] = volume.AttachmentId,
        ["status"] = Status(volume),
        ["instance"] = volume.InstanceUuid,
        ["volume_id"] = volume.Uuid,
    };

    private static Dictionary<string, object?> View(VolumeInfo volume, VolumeConnection? connection)
    {
        var view = Summary(volume);
        view["attached_at"] = CinderJson.Timestamp(volume.AttachedAt);
        view["detached_at"] = null;
        view["attach_mode"] = "rw";
        view["connection_info"] = connection is null ? null : CinderConnector.ConnectionInfo(connection);
        return view;
    }
}
