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
        var version = NovaVersions.Of(context);
        var absolute = new Dictionary<string, long>
        {
            ["maxTotalInstances"] = Limit("instances"),
            ["maxTotalCores"] = Limit("cores"),
            ["maxTotalRAMSize"] = Limit("ram"),
            ["maxTotalKeypairs"] = Limit("key_pairs"),
            ["maxServerMeta"] = 128,
            // NOTE(novamv): server groups' quotas: nova's defaults until the server group area reports its own.
            ["maxServerGroups"] = limits.TryGetValue("server_groups", out var serverGroups) ? serverGroups : 10,
            ["maxServerGroupMembers"] = limits.TryGetValue("server_group_members", out var members) ? members : 10,
            ["totalInstancesUsed"] = live.Count,
            ["totalCoresUsed"] = live.Sum(i => i.Vcpus),
            ["totalRAMUsed"] = live.Sum(i => i.MemoryMb),
            ["totalServerGroupsUsed"] = 0,
        };
        // 2.36 dropped the proxied network limits, 2.39 maxImageMeta, 2.57 the personality limits (nova's limits.py).
        if (!version.AtLeast(36))
        {
            absolute["maxSecurityGroups"] = Limit("security_groups");
            absolute["maxSecurityGroupRules"] = -1;
            absolute["maxTotalFloatingIps"] = Limit("floating_ips");
            absolute["totalSecurityGroupsUsed"] = groupCount;
            absolute["totalFloatingIpsUsed"] = floatingCount;
        }
        if (!version.AtLeast(39))
        {
            absolute["maxImageMeta"] = 128;
        }
        if (!version.AtLeast(57))
        {
            absolute["maxPersonality"] = 5;
            absolute["maxPersonalitySize"] = 10240;
        }
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { limits = new { absolute, rate = Array.Empty<object>() } }).ConfigureAwait(false);
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
