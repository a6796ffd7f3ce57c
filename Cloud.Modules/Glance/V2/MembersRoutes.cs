using System.Text.Json;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary><c>/v2/images/{id}/members</c>: the owner shares a shared image with projects, each member accepts or rejects it.</summary>
public sealed class MembersRoutes(GlanceCaller caller, ImageMembers members)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2/images/{id}/members", ListAsync);
        app.MapPost("/v2/images/{id}/members", AddAsync);
        app.MapGet("/v2/images/{id}/members/{member}", ShowAsync);
        app.MapPut("/v2/images/{id}/members/{member}", SetStatusAsync);
        app.MapDelete("/v2/images/{id}/members/{member}", RemoveAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var list = await members.ListAsync(ctx, ImagesRoutes.Id(context), context.RequestAborted).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, new { members = list.Select(ImageView.Member), schema = "/v2/schemas/members" }).ConfigureAwait(false);
    }

    private async Task AddAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var member = StringMember(await GlanceJson.ReadAsync(context, "application/json").ConfigureAwait(false), "member");
        var added = await members.AddAsync(ctx, ImagesRoutes.Id(context), member, context.RequestAborted).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, ImageView.Member(added)).ConfigureAwait(false);
    }

    private Task ShowAsync(HttpContext context) => AnswerAsync(context, members.GetAsync);

    private async Task SetStatusAsync(HttpContext context)
    {
        var status = StringMember(await GlanceJson.ReadAsync(context, "application/json").ConfigureAwait(false), "status");
        await AnswerAsync(context, (ctx, id, m, ct) => members.SetStatusAsync(ctx, id, m, status, ct)).ConfigureAwait(false);
    }

    private async Task RemoveAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        await members.RemoveAsync(ctx, ImagesRoutes.Id(context), Member(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task AnswerAsync(HttpContext context, Func<Kernel.Auth.RequestContext, string, string, CancellationToken, Task<ImageMember>> action)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var member = await action(ctx, ImagesRoutes.Id(context), Member(context), context.RequestAborted).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, ImageView.Member(member)).ConfigureAwait(false);
    }

    private static string Member(HttpContext context) => (string)context.Request.RouteValues["member"]!;

    private static string StringMember(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw CloudException.Invalid($"Request body must be a JSON object with a string '{name}'.");
}
