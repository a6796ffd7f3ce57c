using System.Text.Json;
using Cloud.Modules.Api.Cinder;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's volume proxies <c>/v2.1/os-volumes</c> and <c>/v2.1/os-snapshots</c> (list, detail, create, show, delete), what
/// novaclient's <c>volume-*</c> commands called before Cinder had its own client; thin over <see cref="VolumeApi"/>.
/// </summary>
public sealed class NovaVolumesRoutes(NovaCaller caller, VolumeApi volumes) : INovaRoutes
{
    private static readonly string[] VolumeFields = ["size", "display_name", "display_description", "volume_type", "metadata", "availability_zone", "snapshot_id"];

    private static readonly string[] SnapshotFields = ["volume_id", "force", "display_name", "display_description"];

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-volumes", ListVolumesAsync);
        app.MapGet("/v2.1/os-volumes/detail", ListVolumesAsync);
        app.MapPost("/v2.1/os-volumes", CreateVolumeAsync);
        app.MapGet("/v2.1/os-volumes/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var volume = await volumes.GetAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { volume = NovaVolumeView.Volume(volume) }).ConfigureAwait(false);
        });
        app.MapDelete("/v2.1/os-volumes/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            await volumes.DeleteAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status202Accepted);
        });
        app.MapGet("/v2.1/os-snapshots", ListSnapshotsAsync);
        app.MapGet("/v2.1/os-snapshots/detail", ListSnapshotsAsync);
        app.MapPost("/v2.1/os-snapshots", CreateSnapshotAsync);
        app.MapGet("/v2.1/os-snapshots/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var snapshot = await volumes.GetSnapshotAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { snapshot = NovaVolumeView.Snapshot(snapshot) }).ConfigureAwait(false);
        });
        app.MapDelete("/v2.1/os-snapshots/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            await volumes.DeleteSnapshotAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status202Accepted);
        });
    }

    private async Task ListVolumesAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var rows = await volumes.ListAsync(ctx, new VolumeListQuery(), context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { volumes = rows.OrderBy(v => v.Id).Select(NovaVolumeView.Volume) }).ConfigureAwait(false);
    }

    private async Task CreateVolumeAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = Strict(NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "volume"), "volume", VolumeFields);
        var size = CinderInput.Size(body, "size") ?? throw CloudException.Invalid("Invalid input for field/attribute volume. Value: 'size' is a required property");
        var volume = await volumes.CreateAsync(ctx, new CreateVolumeRequest(
            size,
            CinderInput.Text(body, "display_name"),
            CinderInput.Text(body, "display_description"),
            CinderInput.Text(body, "availability_zone"),
            CinderInput.Text(body, "snapshot_id"),
            VolumeType: CinderInput.Text(body, "volume_type"),
            Metadata: CinderInput.Metadata(body)), context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { volume = NovaVolumeView.Volume(volume) }).ConfigureAwait(false);
    }

    private async Task ListSnapshotsAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var rows = await volumes.ListSnapshotsAsync(ctx, false, null, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { snapshots = rows.OrderBy(s => s.Id).Select(NovaVolumeView.Snapshot) }).ConfigureAwait(false);
    }

    private async Task CreateSnapshotAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = Strict(NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "snapshot"), "snapshot", SnapshotFields);
        var volumeId = CinderInput.Text(body, "volume_id") ?? throw CloudException.Invalid("Invalid input for field/attribute snapshot. Value: 'volume_id' is a required property");
        var snapshot = await volumes.CreateSnapshotAsync(ctx, volumeId, CinderInput.Text(body, "display_name"), CinderInput.Text(body, "display_description"),
            CinderInput.Boolean(body, "force") ?? false, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { snapshot = NovaVolumeView.Snapshot(snapshot) }).ConfigureAwait(false);
    }

    /// <summary>nova's schemas refuse properties they do not name (additionalProperties: false).</summary>
    private static JsonElement Strict(JsonElement body, string name, string[] known) =>
        body.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !known.Contains(n, StringComparer.Ordinal)) is { } unknown
            ? throw CloudException.Invalid($"Invalid input for field/attribute {name}. Value: {body.GetRawText()}. Additional properties are not allowed ('{unknown}' was unexpected)")
            : body;
}
