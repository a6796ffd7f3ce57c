using Cloud.Modules.Glance.Import;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>
/// <c>/v2/info/*</c>: the import methods offered, the stores (this node's one store, the default), their detail for
/// admins, and the caller's usage (glance's keystone-limit names, MiB for sizes; -1: no limit).
/// </summary>
public sealed class InfoRoutes(GlanceCaller caller, ImageImporter importer, ImageRegistry registry, GlanceQuotas quotas)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2/info/import", ImportAsync);
        app.MapGet("/v2/info/stores", StoresAsync);
        app.MapGet("/v2/info/stores/detail", StoresDetailAsync);
        app.MapGet("/v2/info/usage", UsageAsync);
    }

    private async Task ImportAsync(HttpContext context)
    {
        await caller.ContextAsync(context).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, new Dictionary<string, object>
        {
            ["import-methods"] = new { description = "Import methods available.", type = "array", value = importer.EnabledMethods },
        }).ConfigureAwait(false);
    }

    private async Task StoresAsync(HttpContext context)
    {
        await caller.ContextAsync(context).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, new { stores = new[] { new { id = importer.DefaultStoreId, @default = "true" } } })
            .ConfigureAwait(false);
    }

    private async Task StoresDetailAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        if (!ctx.IsAdmin)
        {
            throw CloudException.Forbidden("You are not authorized to complete stores_info_detail action.");
        }
        var store = new Dictionary<string, object>
        {
            ["id"] = importer.DefaultStoreId, ["default"] = "true", ["type"] = importer.DefaultStoreId, ["properties"] = new Dictionary<string, object>(),
        };
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, new { stores = new[] { store } }).ConfigureAwait(false);
    }

    private async Task UsageAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var project = Kernel.Auth.Policy.RequireScoped(ctx);
        var (images, bytes) = await registry.UsageAsync(project, null, context.RequestAborted).ConfigureAwait(false);
        var limits = await quotas.LimitsOfAsync(project, context.RequestAborted).ConfigureAwait(false);
        object Entry(long usage, long limit) => new { usage, limit };
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, new
        {
            usage = new Dictionary<string, object>
            {
                ["image_size_total"] = Entry(bytes / (1024 * 1024), limits.Bytes < 0 ? -1 : limits.Bytes / (1024 * 1024)),
                ["image_stage_total"] = Entry(0, -1),
                ["image_count_total"] = Entry(images, limits.Images),
                ["image_count_uploading"] = Entry(0, -1),
            },
        }).ConfigureAwait(false);
    }
}
