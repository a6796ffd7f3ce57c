using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>resize</c> (202; the server goes RESIZE, then VERIFY_RESIZE), <c>confirmResize</c> (204, as nova keeps it for
/// compatibility) and <c>revertResize</c> (202).
/// </summary>
public sealed class ResizeActions(InstanceMoveApi moves) : IServerAction
{
    public IReadOnlyList<string> Names { get; } = ["resize", "confirmResize", "revertResize"];

    public async Task ActAsync(ServerActionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        switch (call.Action)
        {
            case "resize":
                await moves.ResizeAsync(call.Context, call.Instance, FlavorRef(call.Arguments), call.CancellationToken).ConfigureAwait(false);
                break;
            case "confirmResize":
                await moves.ConfirmResizeAsync(call.Context, call.Instance, call.CancellationToken).ConfigureAwait(false);
                NovaJson.Empty(call.Http, StatusCodes.Status204NoContent);
                break;
            default:
                await moves.RevertResizeAsync(call.Context, call.Instance, call.CancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The flavor id of <c>{"resize": {"flavorRef": "2"}}</c> (a bookmark URL's last segment).</summary>
    private static string FlavorRef(JsonElement arguments)
    {
        var flavorRef = arguments.ValueKind == JsonValueKind.Object ? NovaJson.String(arguments, "flavorRef") : null;
        return string.IsNullOrEmpty(flavorRef)
            ? throw CloudException.Invalid("Invalid input for field/attribute resize. Value: " + arguments.GetRawText() + ". 'flavorRef' is a required property")
            : flavorRef.TrimEnd('/').Split('/')[^1];
    }
}
