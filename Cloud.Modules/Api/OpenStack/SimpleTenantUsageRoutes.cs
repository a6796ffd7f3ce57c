using System.Globalization;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's <c>/v2.1/os-simple-tenant-usage</c>: the hours, vCPU-hours, MiB-hours and GiB-hours each project's servers
/// ran between <c>start</c> and <c>end</c> (default: now; an end in the future is cut to now), for every project (admin,
/// <c>detailed=1</c> for the servers) or one (its members or an admin), paged over servers from 2.40.
/// </summary>
public sealed class SimpleTenantUsageRoutes(NovaCaller caller, ComputeApi compute, FlavorApi flavors, TimeProvider clock) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-simple-tenant-usage", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            NovaPolicy.RequireAdmin(ctx, "os-simple-tenant-usage:list");
            var detailed = context.Request.Query["detailed"].ToString() == "1";
            var (tenants, page, limit) = await UsagesAsync(context, ctx, project: null, detailed).ConfigureAwait(false);
            var json = new Dictionary<string, object> { ["tenant_usages"] = tenants };
            AddLinks(context, json, "tenant_usages_links", "os-simple-tenant-usage", page, limit);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, json).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/os-simple-tenant-usage/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var project = NovaCaller.Route(context);
            Policy.RequireProject(ctx, project);
            var (tenants, page, limit) = await UsagesAsync(context, ctx, project, detailed: true).ConfigureAwait(false);
            var json = new Dictionary<string, object> { ["tenant_usage"] = tenants.Count > 0 ? tenants[0] : new Dictionary<string, object?>() };
            AddLinks(context, json, "tenant_usage_links", $"os-simple-tenant-usage/{project}", page, limit);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, json).ConfigureAwait(false);
        });
    }

    private async Task<(List<Dictionary<string, object?>> Tenants, IReadOnlyList<Instance> Page, int Limit)> UsagesAsync(
        HttpContext context, RequestContext ctx, string? project, bool detailed)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var start = Parse(context.Request.Query["start"].ToString(), now);
        var stop = Parse(context.Request.Query["end"].ToString(), now);
        if (start >= stop)
        {
            throw CloudException.Invalid("Invalid start time. The start time cannot occur after the end time.");
        }
        stop = stop > now ? now : stop;
        var query = new InstanceListQuery { AllProjects = ctx.IsAdmin, DeletedSince = start };
        var ran = (await compute.ListAsync(ctx, query, context.RequestAborted).ConfigureAwait(false))
            .Where(i => (project is null || i.ProjectId == project) && i.LaunchedAt is { } launched && launched <= stop && (i.TerminatedAt is not { } ended || ended >= start))
            .OrderBy(i => i.Id);
        var (page, limit) = NovaVersions.Of(context).AtLeast(40) ? NovaPaging.Page(context, ran, i => i.Uuid) : ([.. ran], NovaPaging.MaxLimit);
        var flavorNames = (await flavors.ListAsync(context.RequestAborted).ConfigureAwait(false)).ToDictionary(f => f.Id, f => f.Name);
        var tenants = new List<Dictionary<string, object?>>();
        var byProject = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var instance in page)
        {
            var launched = instance.LaunchedAt!.Value;
            var hours = ((instance.TerminatedAt is { } t && t < stop ? t : stop) - (launched > start ? launched : start)).TotalSeconds / 3600.0;
            if (!byProject.TryGetValue(instance.ProjectId, out var summary))
            {
                summary = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["tenant_id"] = instance.ProjectId,
                    ["total_local_gb_usage"] = 0.0,
                    ["total_vcpus_usage"] = 0.0,
                    ["total_memory_mb_usage"] = 0.0,
                    ["total_hours"] = 0.0,
                    ["start"] = Time(start),
                    ["stop"] = Time(stop),
                };
                if (detailed)
                {
                    summary["server_usages"] = new List<object>();
                }
                byProject[instance.ProjectId] = summary;
                tenants.Add(summary);
            }
            summary["total_local_gb_usage"] = (double)summary["total_local_gb_usage"]! + (instance.RootGb * hours);
            summary["total_vcpus_usage"] = (double)summary["total_vcpus_usage"]! + (instance.Vcpus * hours);
            summary["total_memory_mb_usage"] = (double)summary["total_memory_mb_usage"]! + (instance.MemoryMb * hours);
            summary["total_hours"] = (double)summary["total_hours"]! + hours;
            if (detailed)
            {
                var ended = instance.TerminatedAt;
                ((List<object>)summary["server_usages"]!).Add(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["instance_id"] = instance.Uuid,
                    ["name"] = instance.DisplayName,
                    ["tenant_id"] = instance.ProjectId,
                    ["hours"] = hours,
                    ["memory_mb"] = instance.MemoryMb,
                    ["local_gb"] = instance.RootGb,
                    ["vcpus"] = instance.Vcpus,
                    ["flavor"] = flavorNames.GetValueOrDefault(instance.InstanceTypeId, ""),
                    ["started_at"] = Time(launched),
                    ["ended_at"] = ended is null ? null : Time(ended.Value),
                    ["state"] = ended is null ? instance.VmState : "terminated",
                    ["uptime"] = (long)((ended ?? now) - launched).TotalSeconds,
                });
            }
        }
        return (tenants, page, limit);
    }

    private static void AddLinks(HttpContext context, Dictionary<string, object> json, string key, string collection, IReadOnlyList<Instance> page, int limit)
    {
        if (NovaVersions.Of(context).AtLeast(40) && NovaPaging.NextLinks(context, collection, page, limit, i => i.Uuid) is { } links)
        {
            json[key] = links;
        }
    }

    /// <summary>nova's accepted formats (<c>2012-10-08T21:10:44</c>, with <c>.ffffff</c>, or with a space); empty is now.</summary>
    private static DateTime Parse(string text, DateTime now)
    {
        if (text.Length == 0)
        {
            return now;
        }
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFF"];
        return DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw CloudException.Invalid("Invalid datetime string: Datetime is in invalid format");
    }

    private static string Time(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
