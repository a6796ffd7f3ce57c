using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's <c>/v2.1/os-aggregates</c> read side (admin only): cloudd has no host aggregates, so the list is empty and
/// any one is not found. <c>openstack hypervisor show</c> lists them to print a host's aggregates.
/// </summary>
public sealed class NovaAggregatesRoutes(NovaCaller caller) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-aggregates", async context =>
        {
            NovaPolicy.RequireAdmin(await caller.ContextAsync(context).ConfigureAwait(false), "os-aggregates:index");
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { aggregates = Array.Empty<object>() }).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/os-aggregates/{id}", async context =>
        {
            NovaPolicy.RequireAdmin(await caller.ContextAsync(context).ConfigureAwait(false), "os-aggregates:show");
            throw CloudException.NotFound($"Aggregate {NovaCaller.Route(context)} could not be found.");
        });
    }
}
