using System.Text.Json;
using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.Cinder;

/// <summary>
/// <c>POST /v3/{project_id}/volumes/{id}/action</c>: extend, and the legacy attach flow nova's cinder client drives
/// (os-reserve, os-initialize_connection, os-attach, os-begin_detaching, os-terminate_connection, os-detach and their
/// roll-backs), each a state change of <see cref="VolumeApi"/>; os-set_bootable and the admin's os-reset_status.
/// </summary>
public sealed class CinderVolumeActionsRoutes(CinderCaller caller, VolumeApi volumes)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v3/{project_id}/volumes/{id}/action", ActAsync);
    }

    private async Task ActAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var body = await NovaJson.ReadAsync(context).ConfigureAwait(false);
        var action = body.EnumerateObject().FirstOrDefault();
        if (action.Name is null)
        {
            throw CloudException.Invalid("Invalid input received: the request body names no action.");
        }
        var id = CinderCaller.Route(context);
        var args = action.Value;
        var ct = context.RequestAborted;
        switch (action.Name)
        {
            case "os-extend":
                var size = CinderInput.Size(Args(args, action.Name), "new_size") ?? throw CinderInput.Invalid("new_size", "null", "new_size is required");
                await volumes.ExtendAsync(ctx, id, size, ct).ConfigureAwait(false);
                break;
            case "os-reserve":
                // The legacy flow names the instance only at os-attach.
                await volumes.ReserveAsync(ctx, id, "", null, false, null, ct).ConfigureAwait(false);
                break;
            case "os-unreserve":
                await volumes.UnreserveAsync(ctx, id, ct).ConfigureAwait(false);
                break;
            case "os-begin_detaching":
                await volumes.BeginDetachingAsync(ctx, id, ct).ConfigureAwait(false);
                break;
            case "os-roll_detaching":
                await volumes.RollDetachingAsync(ctx, id, ct).ConfigureAwait(false);
                break;
            case "os-initialize_connection":
                var connection = await volumes.InitializeConnectionAsync(ctx, id, CinderConnector.Host(CinderConnector.Of(Args(args, action.Name))), ct).ConfigureAwait(false);
                await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { connection_info = CinderConnector.ConnectionInfo(connection) }).ConfigureAwait(false);
                return;
            case "os-terminate_connection":
                await volumes.TerminateConnectionAsync(ctx, id, CinderConnector.Host(CinderConnector.Of(Args(args, action.Name))), ct).ConfigureAwait(false);
                break;
            case "os-attach":
                await AttachAsync(ctx, id, Args(args, action.Name), ct).ConfigureAwait(false);
                break;
            case "os-detach":
                await volumes.DetachedAsync(ctx, id, ct).ConfigureAwait(false);
                break;
            case "os-set_bootable":
                var bootable = CinderInput.Boolean(Args(args, action.Name), "bootable") ?? throw CinderInput.Invalid("bootable", "null", "bootable is required");
                await volumes.SetBootableAsync(ctx, id, bootable, ct).ConfigureAwait(false);
                NovaJson.Empty(context, StatusCodes.Status200OK);
                return;
            case "os-reset_status":
                Policy.RequireAdmin(ctx);
                var reset = Args(args, action.Name);
                var status = CinderInput.Text(reset, "status") ?? throw CinderInput.Invalid("status", "null", "status is required");
                await volumes.ResetStatusAsync(ctx, id, status, CinderInput.Text(reset, "attach_status"), ct).ConfigureAwait(false);
                break;
            default:
                throw CloudException.Invalid($"There is no such action: {action.Name}");
        }
        NovaJson.Empty(context, StatusCodes.Status202Accepted);
    }

    /// <summary>os-attach: the volume is in-use by the instance as the mountpoint (reserved first when the caller did not).</summary>
    private async Task AttachAsync(RequestContext ctx, string id, JsonElement args, CancellationToken ct)
    {
        var instance = CinderInput.Text(args, "instance_uuid") ?? throw CinderInput.Invalid("instance_uuid", "null", "instance_uuid is required");
        var mountpoint = CinderInput.Text(args, "mountpoint") ?? throw CinderInput.Invalid("mountpoint", "null", "mountpoint is required");
        var volume = await volumes.GetAsync(ctx, id, ct).ConfigureAwait(false);
        if (volume.Status == VolumeStatuses.Available)
        {
            await volumes.ReserveAsync(ctx, id, instance, mountpoint, false, null, ct).ConfigureAwait(false);
        }
        await volumes.AttachedAsync(ctx, id, instance, CinderInput.Text(args, "host_name") ?? "", mountpoint, ct).ConfigureAwait(false);
    }

    /// <summary>An action's arguments: an object, or null/absent read as empty.</summary>
    private static JsonElement Args(JsonElement args, string action) => args.ValueKind switch
    {
        JsonValueKind.Object => args,
        JsonValueKind.Null => JsonDocument.Parse("{}").RootElement,
        _ => throw CloudException.Invalid($"Invalid input received: the arguments of {action} must be an object."),
    };
}
