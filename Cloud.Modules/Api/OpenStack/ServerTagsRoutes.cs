using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary><c>/v2.1/servers/{id}/tags</c> (2.26): list, replace all, check one, add one, delete one, delete all.</summary>
public sealed class ServerTagsRoutes(NovaCaller caller, ServerTagsApi tags) : INovaRoutes
{
    private const int Since = 26;

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/servers/{id}/tags", ListAsync);
        app.MapPut("/v2.1/servers/{id}/tags", ReplaceAsync);
        app.MapDelete("/v2.1/servers/{id}/tags", DeleteAllAsync);
        app.MapGet("/v2.1/servers/{id}/tags/{tag}", CheckAsync);
        app.MapPut("/v2.1/servers/{id}/tags/{tag}", AddAsync);
        app.MapDelete("/v2.1/servers/{id}/tags/{tag}", DeleteAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        var ctx = await CallerAsync(context).ConfigureAwait(false);
        var list = await tags.ListAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { tags = list }).ConfigureAwait(false);
    }

    private async Task ReplaceAsync(HttpContext context)
    {
        var ctx = await CallerAsync(context).ConfigureAwait(false);
        var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
        NovaSchemas.ServerTags.Validate(body);
        var given = body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList();
        var list = await tags.ReplaceAsync(ctx, NovaCaller.Route(context), given, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { tags = list }).ConfigureAwait(false);
    }

    private async Task DeleteAllAsync(HttpContext context)
    {
        var ctx = await CallerAsync(context).ConfigureAwait(false);
        await tags.DeleteAllAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
        NovaJson.Empty(context, StatusCodes.Status204NoContent);
    }

    private async Task CheckAsync(HttpContext context)
    {
        var ctx = await CallerAsync(context).ConfigureAwait(false);
        var id = NovaCaller.Route(context);
        var tag = Tag(context);
        var list = await tags.ListAsync(ctx, id, context.RequestAborted).ConfigureAwait(false);
        if (!list.Contains(tag, StringComparer.Ordinal))
        {
            throw CloudException.NotFound($"Server {id} has no tag '{tag}'");
        }
        NovaJson.Empty(context, StatusCodes.Status204NoContent);
    }

    private async Task AddAsync(HttpContext context)
    {
        var ctx = await CallerAsync(context).ConfigureAwait(false);
        var id = NovaCaller.Route(context);
        var tag = Tag(context);
        var error = NovaSchemas.Tag.FirstError(JsonSerializer.SerializeToElement(tag));
        if (error is not null)
        {
            throw CloudException.Invalid($"Tag '{tag}' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: {error.Message}");
        }
        if (!await tags.AddAsync(ctx, id, tag, context.RequestAborted).ConfigureAwait(false))
        {
            NovaJson.Empty(context, StatusCodes.Status204NoContent);
            return;
        }
        context.Response.Headers.Location = $"{NovaJson.BaseUrl(context)}/v2.1/servers/{id}/tags/{Uri.EscapeDataString(tag)}";
        NovaJson.Empty(context, StatusCodes.Status201Created);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var ctx = await CallerAsync(context).ConfigureAwait(false);
        await tags.DeleteAsync(ctx, NovaCaller.Route(context), Tag(context), context.RequestAborted).ConfigureAwait(false);
        NovaJson.Empty(context, StatusCodes.Status204NoContent);
    }

    /// <summary>The caller of a tag route, which exists from 2.26 (404 below, as nova).</summary>
    private async Task<RequestContext> CallerAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        MicroversionGate.RequireAtLeast(context, Since);
        return ctx;
    }

    private static string Tag(HttpContext context) => context.Request.RouteValues["tag"] as string ?? "";
}
