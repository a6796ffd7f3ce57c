using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's <c>/v2.1/os-availability-zone/detail</c> (admin only): every zone with its hosts and their nova services
/// (active: enabled; available: up), the non-compute services in the <c>internal</c> zone. The brief list is
/// <see cref="ComputeInfoRoutes"/>'.
/// </summary>
public sealed class AvailabilityZoneDetailRoutes(NovaCaller caller, ServiceGroup services) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-availability-zone/detail", async context =>
        {
            NovaPolicy.RequireAdmin(await caller.ContextAsync(context).ConfigureAwait(false), "os-availability-zone:detail");
            var rows = (await services.ListAsync(context.RequestAborted).ConfigureAwait(false)).Where(s => NovaServiceNames.Binary(s) is not null).ToList();
            var zones = rows.GroupBy(NovaServiceNames.Zone).OrderBy(g => g.Key, StringComparer.Ordinal).Select(zone => new
            {
                zoneName = zone.Key,
                zoneState = new { available = zone.Any(s => !s.Disabled && services.IsUp(s)) },
                hosts = zone.GroupBy(s => s.Host).ToDictionary(host => host.Key, host => host.ToDictionary(
                    s => NovaServiceNames.Binary(s)!,
                    s => new { available = services.IsUp(s), active = !s.Disabled, updated_at = NovaServiceNames.UpdatedAt(s) })),
            });
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { availabilityZoneInfo = zones }).ConfigureAwait(false);
        });
    }
}
