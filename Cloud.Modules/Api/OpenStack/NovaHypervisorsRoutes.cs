using System.Globalization;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's <c>/v2.1/os-hypervisors</c> (admin only), one hypervisor per compute host: list, detail, show, statistics
/// (gone at 2.88), search and servers (before 2.53; from 2.53 the <c>hypervisor_hostname_pattern</c> and
/// <c>with_servers</c> parameters), paging from 2.33, UUID ids from 2.53, and 2.88's removal of the resource fields.
/// </summary>
public sealed class NovaHypervisorsRoutes(NovaCaller caller, ComputeNodeApi nodes, ServiceGroup services, ComputeApi compute) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-hypervisors", context => ListAsync(context, detail: false));
        app.MapGet("/v2.1/os-hypervisors/detail", context => ListAsync(context, detail: true));
        app.MapGet("/v2.1/os-hypervisors/statistics", StatisticsAsync);
        app.MapGet("/v2.1/os-hypervisors/{id}", ShowAsync);
        app.MapGet("/v2.1/os-hypervisors/{id}/uptime", UptimeAsync);
        app.MapGet("/v2.1/os-hypervisors/{pattern}/search", context => SearchAsync(context, withServers: false));
        app.MapGet("/v2.1/os-hypervisors/{pattern}/servers", context => SearchAsync(context, withServers: true));
    }

    private sealed record Hypervisor(ComputeNode Node, ServiceRecord Service);

    /// <summary>Every hypervisor, for an admin: others are refused with <paramref name="rule"/>.</summary>
    private async Task<List<Hypervisor>> HypervisorsAsync(HttpContext context, string rule)
    {
        NovaPolicy.RequireAdmin(await caller.ContextAsync(context).ConfigureAwait(false), "os-hypervisors:" + rule);
        var rows = (await services.ListByTopicAsync(ComputeRpcClient.Topic, context.RequestAborted).ConfigureAwait(false)).ToDictionary(s => s.Host, StringComparer.Ordinal);
        return [.. (await nodes.ListAsync(context.RequestAborted).ConfigureAwait(false))
            .Where(n => rows.ContainsKey(n.Host)).Select(n => new Hypervisor(n, rows[n.Host])).OrderBy(h => h.Service.Id)];
    }

    private async Task ListAsync(HttpContext context, bool detail)
    {
        var all = await HypervisorsAsync(context, detail ? "list-detail" : "list").ConfigureAwait(false);
        var version = NovaVersions.Of(context);
        var query = context.Request.Query;
        if (version.AtLeast(53) && query["hypervisor_hostname_pattern"].ToString() is { Length: > 0 } pattern)
        {
            all = [.. all.Where(h => h.Node.Host.Contains(pattern, StringComparison.OrdinalIgnoreCase))];
            if (all.Count == 0)
            {
                throw CloudException.NotFound($"No hypervisor matching '{pattern}' could be found.");
            }
        }
        var (page, limit) = version.AtLeast(33) ? NovaPaging.Page(context, all, h => Id(context, h)) : (all, NovaPaging.MaxLimit);
        var withServers = version.AtLeast(53) && query["with_servers"].ToString().ToLowerInvariant() is "1" or "true" or "yes" or "on";
        var items = new List<Dictionary<string, object?>>();
        foreach (var hypervisor in page)
        {
            items.Add(await ViewAsync(context, hypervisor, detail, withServers).ConfigureAwait(false));
        }
        var json = new Dictionary<string, object> { ["hypervisors"] = items };
        if (version.AtLeast(33) && NovaPaging.NextLinks(context, detail ? "os-hypervisors/detail" : "os-hypervisors", page, limit, h => Id(context, h)) is { } links)
        {
            json["hypervisors_links"] = links;
        }
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, json).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var all = await HypervisorsAsync(context, "show").ConfigureAwait(false);
        var id = NovaCaller.Route(context);
        var version = NovaVersions.Of(context);
        if (version.AtLeast(53) && !Guid.TryParse(id, out _))
        {
            throw CloudException.Invalid($"Invalid uuid {id}");
        }
        var hypervisor = all.FirstOrDefault(h => string.Equals(Id(context, h), id, StringComparison.OrdinalIgnoreCase))
            ?? throw CloudException.NotFound($"Hypervisor with ID '{id}' could not be found.");
        var withServers = version.AtLeast(53) && context.Request.Query["with_servers"].ToString().ToLowerInvariant() is "1" or "true" or "yes" or "on";
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { hypervisor = await ViewAsync(context, hypervisor, detail: true, withServers).ConfigureAwait(false) }).ConfigureAwait(false);
    }

    /// <summary>Before 2.88: the host's uptime line.</summary>
    private async Task UptimeAsync(HttpContext context)
    {
        if (NovaVersions.Of(context).AtLeast(88))
        {
            throw CloudException.NotFound("The resource could not be found.");
        }
        var id = NovaCaller.Route(context);
        var hypervisor = (await HypervisorsAsync(context, "uptime").ConfigureAwait(false)).FirstOrDefault(h => string.Equals(Id(context, h), id, StringComparison.OrdinalIgnoreCase))
            ?? throw CloudException.NotFound($"Hypervisor with ID '{id}' could not be found.");
        var json = await ViewAsync(context, hypervisor, detail: false, withServers: false).ConfigureAwait(false);
        json["uptime"] = UptimeLine();
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { hypervisor = json }).ConfigureAwait(false);
    }

    /// <summary>An uptime(1) line; cloudd's hosts do not report one, so it reads as just started.</summary>
    private static string UptimeLine() => $" {DateTime.UtcNow:HH:mm:ss} up 0 min,  0 users,  load average: 0.00, 0.00, 0.00";

    private async Task SearchAsync(HttpContext context, bool withServers)
    {
        if (NovaVersions.Of(context).AtLeast(53))
        {
            throw CloudException.NotFound("The resource could not be found.");
        }
        var pattern = NovaCaller.Route(context, "pattern");
        var found = (await HypervisorsAsync(context, withServers ? "servers" : "search").ConfigureAwait(false)).Where(h => h.Node.Host.Contains(pattern, StringComparison.OrdinalIgnoreCase)).ToList();
        if (found.Count == 0)
        {
            throw CloudException.NotFound($"No hypervisor matching '{pattern}' could be found.");
        }
        var items = new List<Dictionary<string, object?>>();
        foreach (var hypervisor in found)
        {
            items.Add(await ViewAsync(context, hypervisor, detail: false, withServers).ConfigureAwait(false));
        }
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { hypervisors = items }).ConfigureAwait(false);
    }

    private async Task StatisticsAsync(HttpContext context)
    {
        if (NovaVersions.Of(context).AtLeast(88))
        {
            throw CloudException.NotFound("The resource could not be found.");
        }
        var all = await HypervisorsAsync(context, "statistics").ConfigureAwait(false);
        long Sum(Func<ComputeNode, long> field) => all.Sum(h => field(h.Node));
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            hypervisor_statistics = new Dictionary<string, long>(StringComparer.Ordinal)
            {
                ["count"] = all.Count,
                ["current_workload"] = 0,
                ["disk_available_least"] = Sum(n => n.LocalGb - n.LocalGbUsed),
                ["free_disk_gb"] = Sum(n => n.LocalGb - n.LocalGbUsed),
                ["free_ram_mb"] = Sum(n => n.MemoryMb - n.MemoryMbUsed),
                ["local_gb"] = Sum(n => n.LocalGb),
                ["local_gb_used"] = Sum(n => n.LocalGbUsed),
                ["memory_mb"] = Sum(n => n.MemoryMb),
                ["memory_mb_used"] = Sum(n => n.MemoryMbUsed),
                ["running_vms"] = Sum(n => n.RunningVms),
                ["vcpus"] = Sum(n => n.Vcpus),
                ["vcpus_used"] = Sum(n => n.VcpusUsed),
            },
        }).ConfigureAwait(false);
    }

    private static string Id(HttpContext context, Hypervisor hypervisor) => NovaVersions.Of(context).AtLeast(53)
        ? NovaServiceNames.HypervisorUuid(hypervisor.Node.Host)
        : hypervisor.Service.Id.ToString(CultureInfo.InvariantCulture);

    private async Task<Dictionary<string, object?>> ViewAsync(HttpContext context, Hypervisor hypervisor, bool detail, bool withServers)
    {
        var version = NovaVersions.Of(context);
        var (node, service) = (hypervisor.Node, hypervisor.Service);
        var json = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = version.AtLeast(53) ? NovaServiceNames.HypervisorUuid(node.Host) : service.Id,
            ["hypervisor_hostname"] = node.Host,
            ["state"] = services.IsUp(service) ? "up" : "down",
            ["status"] = service.Disabled ? "disabled" : "enabled",
        };
        if (detail)
        {
            json["hypervisor_type"] = node.HypervisorType;
            json["hypervisor_version"] = 1000;
            json["host_ip"] = "127.0.0.1";
            json["service"] = new Dictionary<string, object?>
            {
                ["host"] = service.Host,
                ["id"] = version.AtLeast(53) ? NovaServiceNames.Uuid(service) : service.Id,
                ["disabled_reason"] = service.DisabledReason,
            };
            if (version.AtLeast(88))
            {
                // From 2.88 the show carries the uptime line (clients parse it as they parsed /uptime's).
                json["uptime"] = UptimeLine();
            }
            else
            {
                json["vcpus"] = node.Vcpus;
                json["memory_mb"] = node.MemoryMb;
                json["local_gb"] = node.LocalGb;
                json["vcpus_used"] = node.VcpusUsed;
                json["memory_mb_used"] = node.MemoryMbUsed;
                json["local_gb_used"] = node.LocalGbUsed;
                json["free_ram_mb"] = node.MemoryMb - node.MemoryMbUsed;
                json["free_disk_gb"] = node.LocalGb - node.LocalGbUsed;
                json["current_workload"] = 0;
                json["running_vms"] = node.RunningVms;
                json["disk_available_least"] = node.LocalGb - node.LocalGbUsed;
                // 2.28 made cpu_info an object; before it is that object as a JSON string.
                json["cpu_info"] = version.AtLeast(28) ? new Dictionary<string, object>() : "{}";
            }
        }
        if (withServers || context.Request.Path.Value!.EndsWith("/servers", StringComparison.Ordinal))
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var servers = (await compute.ListAsync(ctx, allProjects: true, context.RequestAborted).ConfigureAwait(false))
                .Where(i => !i.Deleted && i.Host == node.Host).Select(i => new { uuid = i.Uuid, name = i.Name }).ToList();
            if (servers.Count > 0 || withServers)
            {
                json["servers"] = servers;
            }
        }
        return json;
    }
}
