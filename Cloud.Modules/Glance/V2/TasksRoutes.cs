using Cloud.Modules.Glance.Tasks;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>
/// <c>/v2/tasks</c>: glance keeps the tasks API for admins (its tasks_api_access rule); others get 403. Tasks are created
/// by image import; creating one directly (the old <c>import</c> task type) is refused as glance 25 refuses it.
/// </summary>
public sealed class TasksRoutes(GlanceCaller caller, TaskRegistry tasks)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2/tasks", ListAsync);
        app.MapGet("/v2/tasks/{id}", ShowAsync);
        app.MapPost("/v2/tasks", CreateAsync);
        app.MapDelete("/v2/tasks/{id}", context => NotAllowedAsync(context, "GET"));
    }

    private async Task<RequestContext> AdminAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        if (!ctx.IsAdmin)
        {
            throw CloudException.Forbidden("You are not authorized to complete tasks_api_access action.");
        }
        return ctx;
    }

    private async Task ListAsync(HttpContext context)
    {
        var ctx = await AdminAsync(context).ConfigureAwait(false);
        var limit = ImagesRoutes.Number(context.Request.Query["limit"].FirstOrDefault(), "limit") ?? 25;
        var list = await tasks.ListAsync(ctx, (int)Math.Min(limit, 1000), context.RequestAborted).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, new Dictionary<string, object>
        {
            ["tasks"] = list.Select(TaskView.Stub), ["first"] = "/v2/tasks", ["schema"] = "/v2/schemas/tasks",
        }).ConfigureAwait(false);
    }

    private async Task ShowAsync(HttpContext context)
    {
        var ctx = await AdminAsync(context).ConfigureAwait(false);
        var task = await tasks.GetAsync(ctx, (string)context.Request.RouteValues["id"]!, context.RequestAborted).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, TaskView.Task(task)).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context)
    {
        await AdminAsync(context).ConfigureAwait(false);
        throw CloudException.Invalid("Task type 'import' is not available: use the image import API (POST /v2/images/{id}/import).");
    }

    private static Task NotAllowedAsync(HttpContext context, string allowed)
    {
        context.Response.Headers.Allow = allowed;
        return GlanceJson.WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "The method specified is not allowed for this resource.");
    }
}
