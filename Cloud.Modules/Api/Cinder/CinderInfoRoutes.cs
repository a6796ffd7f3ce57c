using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// The small read-only routes: volume types (one, <c>__DEFAULT__</c>), <c>/os-availability-zone</c> (the volume hosts'
/// zones) and <c>/limits</c> (the project's absolute limits and use).
/// </summary>
public sealed class CinderInfoRoutes(CinderCaller caller, VolumeApi volumes, CinderUsage usage)
{
    /// <summary>The default type's id: fixed, so it is the same on every api host and across restarts.</summary>
    public const string DefaultTypeId = "5e0f4b1c-7a3d-4c52-9d8e-2b6a1f0c3e71";

    public const string DefaultTypeName = "__DEFAULT__";

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        const string Root = "/v3/{project_id}";
        app.MapGet(Root + "/types", async context =>
        {
            await caller.ContextAsync(context).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { volume_types = new[] { DefaultType() } }).ConfigureAwait(false);
        });
        app.MapGet(Root + "/types/{id}", async context =>
        {
            await caller.ContextAsync(context).ConfigureAwait(false);
            var id = CinderCaller.Route(context);
            if (id is not ("default" or DefaultTypeId))
            {
                throw CloudException.NotFound($"Volume type {id} could not be found.");
            }
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { volume_type = DefaultType() }).ConfigureAwait(false);
        });
        app.MapGet(Root + "/types/{id}/extra_specs", async context =>
        {
            await caller.ContextAsync(context).ConfigureAwait(false);
            if (CinderCaller.Route(context) != DefaultTypeId)
            {
                throw CloudException.NotFound($"Volume type {CinderCaller.Route(context)} could not be found.");
            }
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { extra_specs = new Dictionary<string, string>() }).ConfigureAwait(false);
        });
        app.MapGet(Root + "/os-availability-zone", ZonesAsync);
        app.MapGet(Root + "/limits", LimitsAsync);
    }

    private static Dictionary<string, object?> DefaultType() => new(StringComparer.Ordinal)
    {
        ["id"] = DefaultTypeId,
        ["name"] = DefaultTypeName,
        ["description"] = "Default Volume Type",
        ["is_public"] = true,
        ["os-volume-type-access:is_public"] = true,
        ["extra_specs"] = new Dictionary<string, string>(),
        ["qos_specs_id"] = null,
    };

    private async Task ZonesAsync(HttpContext context)
    {
        await caller.ContextAsync(context).ConfigureAwait(false);
        var hosts = await volumes.ListHostsAsync(context.RequestAborted).ConfigureAwait(false);
        var zones = hosts.GroupBy(h => h.AvailabilityZone).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new
        {
            zoneName = g.Key,
            zoneState = new { available = g.Any(h => h.IsUp) },
        });
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { availabilityZoneInfo = zones }).ConfigureAwait(false);
    }

    private async Task LimitsAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var project = Policy.RequireScoped(ctx);
        var limits = await usage.LimitsAsync(project, context.RequestAborted).ConfigureAwait(false);
        var used = await usage.InUseAsync(ctx, project, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            limits = new
            {
                rate = Array.Empty<object>(),
                absolute = new Dictionary<string, long>(StringComparer.Ordinal)
                {
                    ["maxTotalVolumes"] = limits["volumes"],
                    ["maxTotalVolumeGigabytes"] = limits["gigabytes"],
                    ["maxTotalSnapshots"] = limits["snapshots"],
                    ["maxTotalBackups"] = limits["backups"],
                    ["maxTotalBackupGigabytes"] = limits["backup_gigabytes"],
                    ["totalVolumesUsed"] = used["volumes"],
                    ["totalGigabytesUsed"] = used["gigabytes"],
                    ["totalSnapshotsUsed"] = used["snapshots"],
                    ["totalBackupsUsed"] = 0,
                    ["totalBackupGigabytesUsed"] = 0,
                },
            },
        }).ConfigureAwait(false);
    }
}
