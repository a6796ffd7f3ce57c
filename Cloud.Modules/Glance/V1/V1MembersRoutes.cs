using System.Text.Json;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Glance.V2;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V1;

/// <summary>
/// v1 image sharing: <c>/v1/images/{id}/members[/{member}]</c> and <c>/v1/shared-images/{member}</c>, on the same
/// memberships as v2. v1 knew no acceptance, so a member added here sees the image in v1 lists at once (in v2 lists
/// once it accepts); <c>can_share</c> (re-sharing by members) is not supported and always false.
/// </summary>
public sealed class V1MembersRoutes(GlanceCaller caller, ImageMembers members)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v1/images/{id}/members", ListAsync);
        app.MapPut("/v1/images/{id}/members", ReplaceAsync);
        app.MapPut("/v1/images/{id}/members/{member}", AddAsync);
        app.MapDelete("/v1/images/{id}/members/{member}", RemoveAsync);
        app.MapGet("/v1/shared-images/{member}", SharedWithAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var list = await members.ListAsync(ctx, ImagesRoutes.Id(context), context.RequestAborted).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, new { members = list.Select(m => new { member_id = m.Member, can_share = false }) }).ConfigureAwait(false);
    }

    private async Task SharedWithAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var list = await members.SharedWithAsync(ctx, Member(context), context.RequestAborted).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, new { shared_images = list.Select(m => new { image_id = m.ImageId, can_share = false }) }).ConfigureAwait(false);
    }

    /// <summary>Adds the member if it is not one yet (PUT is idempotent); an optional body <c>{"member": {"can_share": false}}</c>.</summary>
    private async Task AddAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        if (context.Request.ContentLength > 0)
        {
            var body = await GlanceJson.ReadAsync(context, "application/json").ConfigureAwait(false);
            CheckCanShare(body.ValueKind == JsonValueKind.Object && body.TryGetProperty("member", out var member) ? member : body);
        }
        await EnsureMemberAsync(ctx, ImagesRoutes.Id(context), Member(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task RemoveAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        await members.RemoveAsync(ctx, ImagesRoutes.Id(context), Member(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary><c>{"memberships": [{"member_id": "...", "can_share": false}, ...]}</c> becomes the whole member list.</summary>
    private async Task ReplaceAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var id = ImagesRoutes.Id(context);
        var ct = context.RequestAborted;
        var body = await GlanceJson.ReadAsync(context, "application/json").ConfigureAwait(false);
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("memberships", out var memberships) || memberships.ValueKind != JsonValueKind.Array)
        {
            throw CloudException.Invalid("Request body must be {\"memberships\": [{\"member_id\": \"...\"}, ...]}.");
        }
        var wanted = new List<string>();
        foreach (var membership in memberships.EnumerateArray())
        {
            if (membership.ValueKind != JsonValueKind.Object || !membership.TryGetProperty("member_id", out var member) || member.ValueKind != JsonValueKind.String)
            {
                throw CloudException.Invalid("Each membership must be an object with a string member_id.");
            }
            CheckCanShare(membership);
            wanted.Add(member.GetString()!);
        }
        var current = await members.ListAsync(ctx, id, ct).ConfigureAwait(false);
        foreach (var gone in current.Where(m => !wanted.Contains(m.Member)))
        {
            await members.RemoveAsync(ctx, id, gone.Member, ct).ConfigureAwait(false);
        }
        foreach (var member in wanted.Distinct(StringComparer.Ordinal))
        {
            await EnsureMemberAsync(ctx, id, member, ct).ConfigureAwait(false);
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task EnsureMemberAsync(Kernel.Auth.RequestContext ctx, string id, string member, CancellationToken ct)
    {
        try
        {
            await members.AddAsync(ctx, id, member, ct).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.Conflict)
        {
            // A member already: nothing to change.
        }
    }

    private static void CheckCanShare(JsonElement member)
    {
        if (member.ValueKind == JsonValueKind.Object && member.TryGetProperty("can_share", out var canShare) && canShare.ValueKind == JsonValueKind.True)
        {
            throw CloudException.Invalid("can_share is not supported: only an image's owner shares it.");
        }
    }

    private static string Member(HttpContext context) => (string)context.Request.RouteValues["member"]!;
}
