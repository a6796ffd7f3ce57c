using Cloud.Modules.Glance.Import;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Glance.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>Interoperable image import: <c>/v2/images/{id}/stage</c>, <c>/v2/images/{id}/import</c> and the image's tasks.</summary>
public sealed class ImportRoutes(GlanceCaller caller, ImageImporter importer, ImageRegistry registry, TaskRegistry tasks)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPut("/v2/images/{id}/stage", StageAsync);
        app.MapPost("/v2/images/{id}/import", ImportAsync);
        app.MapGet("/v2/images/{id}/tasks", TasksAsync);
    }

    private async Task StageAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        ImageDataRoutes.RequireOctetStream(context);
        await importer.StageAsync(ctx, ImagesRoutes.Id(context), context.Request.Body, context.Request.ContentLength, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task ImportAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var request = ImportRequest.Parse(await GlanceJson.ReadAsync(context, "application/json").ConfigureAwait(false), importer.EnabledMethods);
        await importer.ImportAsync(ctx, ImagesRoutes.Id(context), request, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task TasksAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var image = await registry.GetAsync(ctx, ImagesRoutes.Id(context), context.RequestAborted).ConfigureAwait(false);
        var rows = await tasks.OfImageAsync(image.Id, context.RequestAborted).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, new { tasks = rows.Select(TaskView.Row) }).ConfigureAwait(false);
    }
}
