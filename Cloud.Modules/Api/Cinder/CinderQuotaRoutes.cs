using System.Text.Json;
using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// <c>/v3/{project_id}/os-quota-sets/{target}</c>: show (with <c>?usage=True</c> each as limit, in_use, reserved, allocated),
/// the defaults, and an admin's update of <c>volumes</c> and <c>gigabytes</c> through the identity module's quotas. A member
/// sees only their own project's set (403 otherwise).
/// </summary>
public sealed class CinderQuotaRoutes(CinderCaller caller, CinderUsage usage, IdentityApi identity, IOptions<QuotaFlags> defaults)
{
    private static readonly string[] Settable = ["volumes", "gigabytes"];

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        const string Root = "/v3/{project_id}/os-quota-sets/{target}";
        app.MapGet(Root, ShowAsync);
        app.MapGet(Root + "/defaults", async context =>
        {
            await caller.ContextAsync(context).ConfigureAwait(false);
            await WriteAsync(context, CinderCaller.Route(context, "target"), CinderUsage.Limits(defaults.Value.ByResource()), null).ConfigureAwait(false);
        });
        app.MapPut(Root, UpdateAsync);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var target = CinderCaller.Route(context, "target");
        Policy.RequireProject(ctx, target);
        var limits = await usage.LimitsAsync(target, context.RequestAborted).ConfigureAwait(false);
        var used = CinderCaller.Flag(context, "usage") ? await usage.InUseAsync(ctx, target, context.RequestAborted).ConfigureAwait(false) : null;
        await WriteAsync(context, target, limits, used).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        Policy.RequireAdmin(ctx);
        var target = CinderCaller.Route(context, "target");
        var project = await identity.FindProjectAsync(null, target, context.RequestAborted).ConfigureAwait(false)
            ?? throw CloudException.NotFound($"Project {target} could not be found.");
        var body = NovaJson.Member(await NovaJson.ReadAsync(context).ConfigureAwait(false), "quota_set");
        var bad = body.EnumerateObject().Select(p => p.Name).Where(n => !Settable.Contains(n, StringComparer.Ordinal) && n is not ("id" or "tenant_id")).ToList();
        if (bad.Count > 0)
        {
            throw CloudException.Invalid($"Bad key(s) in quota set: {string.Join(", ", bad)}");
        }
        var wanted = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in Settable.Where(n => body.TryGetProperty(n, out _)))
        {
            var value = body.GetProperty(name);
            wanted[name] = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var limit) && limit >= -1
                ? limit
                : throw CloudException.Invalid($"Invalid input for field/attribute {name}. Value: {value.GetRawText()}. Quota limit must be -1 or greater.");
        }
        var used = await usage.InUseAsync(ctx, target, context.RequestAborted).ConfigureAwait(false);
        foreach (var (name, limit) in wanted.Where(w => w.Value >= 0 && w.Value < used[w.Key]))
        {
            throw CloudException.Invalid($"Quota limit invalid for project '{target}': {name} {limit} is less than the {used[name]} already used.");
        }
        foreach (var (name, limit) in wanted)
        {
            await identity.SetQuotaAsync(project.Name, name, limit, context.RequestAborted).ConfigureAwait(false);
        }
        var limits = await usage.LimitsAsync(target, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, null, limits, null).ConfigureAwait(false);
    }

    /// <summary>The quota set, each resource a number or, with use, <c>{limit, in_use, reserved, allocated}</c>.</summary>
    private static Task WriteAsync(HttpContext context, string? id, Dictionary<string, long> limits, Dictionary<string, long>? used)
    {
        var set = new Dictionary<string, object>(StringComparer.Ordinal);
        if (id is not null)
        {
            set["id"] = id;
        }
        foreach (var (name, limit) in limits)
        {
            set[name] = used is null ? limit : new { limit, in_use = used[name], reserved = 0, allocated = 0 };
        }
        return NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { quota_set = set });
    }
}
