using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>/v2.1/servers/{id}/os-volume_attachments</c> (what <c>openstack server add|remove volume</c> calls): list, attach
/// (200 with the device chosen), show one, detach (202). Shapes of microversion 2.1: id and volumeId are the volume's uuid.
/// </summary>
public sealed class VolumeAttachmentsRoutes(NovaCaller caller, ServersRoutes servers, ComputeApi compute) : INovaRoutes
{
    private const string Collection = "/v2.1/servers/{id}/os-volume_attachments";

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Collection, ListAsync);
        app.MapPost(Collection, AttachAsync);
        app.MapGet(Collection + "/{volumeId}", ShowAsync);
        app.MapDelete(Collection + "/{volumeId}", DetachAsync);
    }

    /// <summary>One attachment as nova shows it.</summary>
    public static Dictionary<string, object?> View(string serverId, string volumeId, string? device) => new(StringComparer.Ordinal)
    {
        ["id"] = volumeId,
        ["serverId"] = serverId,
        ["volumeId"] = volumeId,
        ["device"] = device,
    };

    private async Task ListAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var instance = await servers.LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var volumes = await compute.VolumesOfAsync(ctx, instance.Uuid, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            volumeAttachments = volumes.Select(v => View(instance.Uuid, v.Uuid, v.Mountpoint)),
        }).ConfigureAwait(false);
    }

    private async Task AttachAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var attachment = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "volumeAttachment");
        var volumeId = NovaJson.String(attachment, "volumeId") ?? throw CloudException.Invalid("Invalid input for field/attribute volumeAttachment. Value: {}. 'volumeId' is a required property");
        if (!Guid.TryParse(volumeId, out _))
        {
            throw CloudException.Invalid($"Invalid input for field/attribute volumeId. Value: {volumeId}. '{volumeId}' is not a 'uuid'");
        }
        var instance = await servers.LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var device = await compute.AttachVolumeAsync(ctx, instance.Uuid, volumeId, NovaJson.String(attachment, "device"), context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { volumeAttachment = View(instance.Uuid, volumeId, device) }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var instance = await servers.LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var volume = await AttachedAsync(ctx, instance, NovaCaller.Route(context, "volumeId"), context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { volumeAttachment = View(instance.Uuid, volume.Uuid, volume.Mountpoint) }).ConfigureAwait(false);
    }

    private async Task DetachAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var instance = await servers.LiveAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        var volume = await AttachedAsync(ctx, instance, NovaCaller.Route(context, "volumeId"), context.RequestAborted).ConfigureAwait(false);
        await compute.DetachVolumeAsync(ctx, instance.Uuid, volume.Uuid, context.RequestAborted).ConfigureAwait(false);
        NovaJson.Empty(context, StatusCodes.Status202Accepted);
    }

    /// <summary>The server's attachment of that volume; nova's 404 "No volume Block Device Mapping with id X." otherwise.</summary>
    private async Task<VolumeInfo> AttachedAsync(Kernel.Auth.RequestContext ctx, Instance instance, string volumeId, CancellationToken cancellationToken)
    {
        var volumes = await compute.VolumesOfAsync(ctx, instance.Uuid, cancellationToken).ConfigureAwait(false);
        return volumes.FirstOrDefault(v => string.Equals(v.Uuid, volumeId, StringComparison.OrdinalIgnoreCase))
            ?? throw CloudException.NotFound($"No volume Block Device Mapping with id {volumeId}.");
    }
}
