using System.Globalization;
using Cloud.Modules.Kernel;
using Cloud.Modules.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova-network's <c>/v2.1/os-floating-ips</c> (list, show, allocate with an optional pool, release) and
/// <c>/v2.1/os-floating-ip-pools</c>: what <c>openstack floating ip create|list|show|delete</c> and
/// <c>openstack floating ip pool list</c> call when the catalog has no network (Neutron) endpoint.
/// </summary>
public sealed class FloatingIpsRoutes(NovaCaller caller, FloatingIpApi floatingIps) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-floating-ips", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var all = await floatingIps.ListAsync(ctx, context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { floating_ips = all.Select(View) }).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/os-floating-ips/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var row = await floatingIps.GetAsync(ctx, Id(context), context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { floating_ip = View(row) }).ConfigureAwait(false);
        });
        app.MapPost("/v2.1/os-floating-ips", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            // nova takes no body, {}, or {"pool": null|"name"}.
            var pool = context.Request.ContentLength is 0 or null && !context.Request.Headers.ContainsKey("Transfer-Encoding")
                ? null
                : NovaJson.String(await NovaJson.ReadAsync(context).ConfigureAwait(false), "pool");
            var row = await floatingIps.AllocateAsync(ctx, pool, context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { floating_ip = View(row) }).ConfigureAwait(false);
        });
        app.MapDelete("/v2.1/os-floating-ips/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var row = await floatingIps.GetAsync(ctx, Id(context), context.RequestAborted).ConfigureAwait(false);
            await floatingIps.ReleaseAsync(ctx, row.Address, context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status202Accepted);
        });
        app.MapGet("/v2.1/os-floating-ip-pools", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var pools = await floatingIps.PoolsAsync(ctx, context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { floating_ip_pools = pools.Select(p => new { name = p }) }).ConfigureAwait(false);
        });
    }

    /// <summary>nova's _translate_floating_ip_view.</summary>
    public static Dictionary<string, object?> View(FloatingAddress row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(StringComparer.Ordinal)
        {
            ["id"] = row.Id,
            ["ip"] = row.Address,
            ["pool"] = row.Pool,
            ["fixed_ip"] = row.FixedAddress,
            ["instance_id"] = row.InstanceUuid,
        };
    }

    /// <summary>The integer id of the route; anything else is not found, with nova's message.</summary>
    private static long Id(HttpContext context)
    {
        var text = NovaCaller.Route(context);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw CloudException.NotFound($"Floating IP not found for ID {text}");
    }
}
