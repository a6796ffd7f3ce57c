using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>
/// The image API v2 on <c>glance_port</c>: version discovery (<c>/</c> answers 300 and <c>/versions</c> 200, as glance
/// does), the schemas, images, image data and members.
/// </summary>
public sealed class GlanceV2Routes(ImagesRoutes images, ImageDataRoutes data, MembersRoutes members)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", context => GlanceJson.WriteAsync(context, StatusCodes.Status300MultipleChoices, Versions(context)));
        app.MapGet("/versions", context => GlanceJson.WriteAsync(context, StatusCodes.Status200OK, Versions(context)));
        app.MapGet("/v2/schemas/image", context => SchemaAsync(context, ImageSchemas.Image));
        app.MapGet("/v2/schemas/images", context => SchemaAsync(context, ImageSchemas.Images));
        app.MapGet("/v2/schemas/member", context => SchemaAsync(context, ImageSchemas.Member));
        app.MapGet("/v2/schemas/members", context => SchemaAsync(context, ImageSchemas.Members));
        images.Map(app);
        data.Map(app);
        members.Map(app);
    }

    private static object Versions(HttpContext context)
    {
        var root = $"{context.Request.Scheme}://{context.Request.Host}";
        object Version(string id, string status, string path) => new { id, status, links = new[] { new { rel = "self", href = $"{root}/{path}/" } } };
        return new
        {
            versions = new[]
            {
                Version("v2.9", "CURRENT", "v2"), Version("v2.8", "SUPPORTED", "v2"), Version("v2.7", "SUPPORTED", "v2"),
                Version("v2.6", "SUPPORTED", "v2"), Version("v2.5", "SUPPORTED", "v2"), Version("v2.4", "SUPPORTED", "v2"),
                Version("v2.3", "SUPPORTED", "v2"), Version("v2.2", "SUPPORTED", "v2"), Version("v2.1", "SUPPORTED", "v2"),
                Version("v2.0", "SUPPORTED", "v2"),
            },
        };
    }

    private static async Task SchemaAsync(HttpContext context, string schema)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(schema, context.RequestAborted).ConfigureAwait(false);
    }
}
