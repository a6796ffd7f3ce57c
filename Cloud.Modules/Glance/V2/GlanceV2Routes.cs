using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>
/// The image API v2 on <c>glance_port</c>: the schemas, images, image data, members, import, tasks, info and metadefs.
/// A path with a trailing slash (<c>/v2/images/</c>, and <c>/v2/</c> itself) is glance's 404, not the same resource; as
/// glance authenticates every request before it routes it (keystonemiddleware), that 404 and the schemas need a token.
/// </summary>
public sealed class GlanceV2Routes(
    GlanceCaller caller, ImagesRoutes images, ImageDataRoutes data, MembersRoutes members, ImportRoutes import, TasksRoutes tasks, InfoRoutes info, MetadefsRoutes metadefs)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(TrailingSlashAsync);
        foreach (var (path, schema) in GlanceSchemas.ByPath)
        {
            app.MapGet($"/v2/schemas/{path}", context => SchemaAsync(context, schema));
        }
        images.Map(app);
        data.Map(app);
        members.Map(app);
        import.Map(app);
        tasks.Map(app);
        info.Map(app);
        metadefs.Map(app);
    }

    private async Task TrailingSlashAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith("/v2/", StringComparison.Ordinal) || !path.EndsWith('/'))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        await caller.ContextAsync(context).ConfigureAwait(false);
        await GlanceJson.WriteErrorAsync(context, StatusCodes.Status404NotFound, "The resource could not be found.").ConfigureAwait(false);
    }

    private async Task SchemaAsync(HttpContext context, string schema)
    {
        await caller.ContextAsync(context).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(schema, context.RequestAborted).ConfigureAwait(false);
    }
}
