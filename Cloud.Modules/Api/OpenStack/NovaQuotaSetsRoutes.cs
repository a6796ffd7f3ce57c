using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's <c>/v2.1/os-quota-sets/{project}</c>: show (a member their own project's, an admin any), <c>/detail</c> with
/// use, <c>/defaults</c> (the <c>default</c> quota class), and the admin's update (refused below what the project
/// already uses unless <c>force</c>) and delete (back to the defaults). Keys per microversion: <see cref="NovaQuotaResources"/>.
/// </summary>
public sealed class NovaQuotaSetsRoutes(NovaCaller caller, IdentityApi identity, ComputeUsageApi usage) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/os-quota-sets/{id}", async context =>
        {
            var (_, project) = await ProjectAsync(context, adminRule: null).ConfigureAwait(false);
            var limits = await identity.QuotasOfProjectAsync(project, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, project, r => NovaQuotaResources.Limit(limits, r)).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/os-quota-sets/{id}/detail", async context =>
        {
            var (ctx, project) = await ProjectAsync(context, adminRule: null).ConfigureAwait(false);
            var limits = await identity.QuotasOfProjectAsync(project, context.RequestAborted).ConfigureAwait(false);
            var used = await usage.UsageAsync(project, UserId(context) ?? ctx.UserId, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, project, r => new { in_use = used.Of(r), limit = NovaQuotaResources.Limit(limits, r), reserved = 0 }).ConfigureAwait(false);
        });
        app.MapGet("/v2.1/os-quota-sets/{id}/defaults", async context =>
        {
            var (_, project) = await ProjectAsync(context, adminRule: null).ConfigureAwait(false);
            var defaults = await identity.QuotaClassAsync(IdentityApi.DefaultQuotaClass, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, project, r => NovaQuotaResources.Limit(defaults, r)).ConfigureAwait(false);
        });
        app.MapPut("/v2.1/os-quota-sets/{id}", UpdateAsync);
        app.MapDelete("/v2.1/os-quota-sets/{id}", async context =>
        {
            var (_, project) = await ProjectAsync(context, adminRule: "os-quota-sets:delete").ConfigureAwait(false);
            await identity.ClearProjectQuotasAsync(project, context.RequestAborted).ConfigureAwait(false);
            NovaJson.Empty(context, StatusCodes.Status202Accepted);
        });
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var (ctx, project) = await ProjectAsync(context, adminRule: "os-quota-sets:update").ConfigureAwait(false);
        var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
        var version = NovaVersions.Of(context);
        var allowed = NovaQuotaResources.OfQuotaSets(version);
        var (limits, others) = NovaQuotaResources.ParseUpdate(body, "quota_set", allowed, "force", "networks");
        if (others.ContainsKey("networks"))
        {
            throw CloudException.Invalid("The networks quota has been removed");
        }
        var force = others.TryGetValue("force", out var forced) && NovaSchema.Boolean(forced, "force");
        // cloudd keeps no fixed IP quota (nova-network's); it stays -1 as nova shows it without nova-network.
        limits.Remove("fixed_ips");
        if (!force)
        {
            var used = await usage.UsageAsync(project, UserId(context) ?? ctx.UserId, context.RequestAborted).ConfigureAwait(false);
            foreach (var (resource, limit) in limits)
            {
                if (limit != -1 && limit < used.Of(resource))
                {
                    throw CloudException.Invalid($"Quota limit {limit} for {resource} must be greater than or equal to already used and reserved {used.Of(resource)}.");
                }
            }
        }
        await identity.SetProjectQuotasAsync(project, limits, context.RequestAborted).ConfigureAwait(false);
        var now = await identity.QuotasOfProjectAsync(project, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, null, r => NovaQuotaResources.Limit(now, r)).ConfigureAwait(false);
    }

    /// <summary>The caller and the project of the route, which must exist (nova asks keystone: 400 otherwise).</summary>
    private async Task<(RequestContext Context, string Project)> ProjectAsync(HttpContext context, string? adminRule)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var project = NovaCaller.Route(context);
        if (adminRule is not null)
        {
            NovaPolicy.RequireAdmin(ctx, adminRule);
        }
        else
        {
            Policy.RequireProject(ctx, project);
        }
        if (await identity.FindProjectAsync(null, project, context.RequestAborted).ConfigureAwait(false) is null)
        {
            throw CloudException.Invalid($"Project ID {project} is not a valid project.");
        }
        return (ctx, project);
    }

    private static Task WriteAsync(HttpContext context, string? project, Func<string, object> valueOf) =>
        NovaJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            quota_set = NovaQuotaResources.Format(project, NovaQuotaResources.OfQuotaSets(NovaVersions.Of(context)), valueOf),
        });

    private static string? UserId(HttpContext context) => context.Request.Query["user_id"].ToString() is { Length: > 0 } user ? user : null;
}
