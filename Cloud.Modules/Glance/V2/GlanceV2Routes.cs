using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>
/// The image API v2 on <c>glance_port</c>: the schemas, images, image data, members, import, tasks, info and metadefs.
/// A path with a trailing slash (<c>/v2/images/</c>, and <c>/v2/</c> itself) is glance's 404, not the same resource.
/// </summary>
public sealed class GlanceV2Routes(
    ImagesRoutes images, ImageDataRoutes data, MembersRoutes members, ImportRoutes import, TasksRoutes tasks, InfoRoutes info, MetadefsRoutes metadefs)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(TrailingSlashAsync);
        foreach (var (path, schema) in MetadefSchemas.ByPath)
        {
            app.MapGet($"/v2/schemas/{path}", context => SchemaAsync(context, schema));
        }
        app.MapGet("/v2/schemas/image", context => SchemaAsync(context, ImageSchemas.Image));
        app.MapGet("/v2/schemas/images", context => SchemaAsync(context, ImageSchemas.Images));
        app.MapGet("/v2/schemas/member", context => SchemaAsync(context, ImageSchemas.Member));
        app.MapGet("/v2/schemas/members", context => SchemaAsync(context, ImageSchemas.Members));
        images.Map(app);
        data.Map(app);
        members.Map(app);
        import.Map(app);
        tasks.Map(app);
        info.Map(app);
        metadefs.Map(app);
    }

    private static Task TrailingSlashAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        return path.StartsWith("/v2/", StringComparison.Ordinal) && path.EndsWith('/')
            ? GlanceJson.WriteErrorAsync(context, StatusCodes.Status404NotFound, "The resource could not be found.")
            : next(context);
    }

    private static async Task SchemaAsync(HttpContext context, string schema)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(schema, context.RequestAborted).ConfigureAwait(false);
    }
}
