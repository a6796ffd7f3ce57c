using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>
/// The image API v2 on <c>glance_port</c>: the schemas, images, image data and members.
/// </summary>
public sealed class GlanceV2Routes(ImagesRoutes images, ImageDataRoutes data, MembersRoutes members)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2/schemas/image", context => SchemaAsync(context, ImageSchemas.Image));
        app.MapGet("/v2/schemas/images", context => SchemaAsync(context, ImageSchemas.Images));
        app.MapGet("/v2/schemas/member", context => SchemaAsync(context, ImageSchemas.Member));
        app.MapGet("/v2/schemas/members", context => SchemaAsync(context, ImageSchemas.Members));
        images.Map(app);
        data.Map(app);
        members.Map(app);
    }

    private static async Task SchemaAsync(HttpContext context, string schema)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(schema, context.RequestAborted).ConfigureAwait(false);
    }
}
