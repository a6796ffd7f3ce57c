using Cloud.Modules.Compute;
using Cloud.Modules.Identity;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// The small read-only routes: <c>/limits</c> (the project's quotas and use), <c>/os-availability-zone</c>, and the
/// nova-network era <c>/os-networks</c>, empty until the network service exists (floating IPs: <see cref="FloatingIpsRoutes"/>).
/// </summary>
public sealed class ComputeInfoRoutes(NovaCaller caller, ComputeApi compute, IdentityApi identity, SecurityGroupApi groups, ServiceGroup services, Network.FloatingIpApi floatingIps) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/limits", LimitsAsync);
        app.MapGet("/v2.1/os-availability-zone", ZonesAsync);
        app.MapGet("/v2.1/os-networks", context => EmptyListAsync(context, "networks"));
        app.MapGet("/v2.1/os-networks/{id}", NotFoundAsync);
        app.MapGet("/v2.1/extensions", context => EmptyListAsync(context, "extensions"));
    }

    private async Task LimitsAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var projectId = Policy.RequireScoped(ctx);
        var limits = await identity.QuotasOfProjectAsync(projectId, context.RequestAborted).ConfigureAwait(false);
        var live = (await compute.ListAsync(ctx, allProjects: false, context.RequestAborted).ConfigureAwait(false)).Where(i => !i.Deleted).ToList();
        var groupCount = (await groups.ListAsync(ctx, allProjects: false, context.RequestAborted).ConfigureAwait(false)).Count;
        var floatingCount = (await floatingIps.ListAsync(ctx, context.RequestAborted).ConfigureAwait(false)).Count(f => !f.AutoAssigned);
        long Limit(string name) => limits.TryGetValue(name, out var value) ? value : -1;
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            limits = new
            {
                rate = Array.Empty<object>(),
                absolute = new Dictionary<string, long>
                {
                    ["maxTotalInstances"] = Limit("instances"),
                    ["maxTotalCores"] = Limit("cores"),
                    ["maxTotalRAMSize"] = Limit("ram"),
                    ["maxTotalKeypairs"] = Limit("key_pairs"),
                    ["maxSecurityGroups"] = Limit("security_groups"),
                    ["maxSecurityGroupRules"] = -1,
                    ["maxTotalFloatingIps"] = Limit("floating_ips"),
                    ["maxServerMeta"] = 128,
                    ["maxImageMeta"] = 128,
                    ["maxPersonality"] = 0,
                    ["maxPersonalitySize"] = 0,
                    ["totalInstancesUsed"] = live.Count,
                    ["totalCoresUsed"] = live.Sum(i => i.Vcpus),
                    ["totalRAMUsed"] = live.Sum(i => i.MemoryMb),
                    ["totalSecurityGroupsUsed"] = groupCount,
                    ["totalFloatingIpsUsed"] = floatingCount,
                },
            },
        }).ConfigureAwait(false);
    }

    private async Task ZonesAsync(HttpContext context)
    {
        await caller.ContextAsync(context).ConfigureAwait(false);
        var rows = await services.ListByTopicAsync(ComputeRpcClient.Topic, context.RequestAborted).ConfigureAwait(false);
        var zones = rows.GroupBy(s => s.AvailabilityZone).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new
        {
            zoneName = g.Key,
            zoneState = new { available = g.Any(s => !s.Disabled && services.IsUp(s)) },
            hosts = (object?)null,
        });
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { availabilityZoneInfo = zones }).ConfigureAwait(false);
    }

    private async Task EmptyListAsync(HttpContext context, string name)
    {
        await caller.ContextAsync(context).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new Dictionary<string, object> { [name] = Array.Empty<object>() }).ConfigureAwait(false);
    }

    private async Task NotFoundAsync(HttpContext context)
    {
        await caller.ContextAsync(context).ConfigureAwait(false);
        await NovaJson.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"{NovaCaller.Route(context)} could not be found.").ConfigureAwait(false);
    }
}
