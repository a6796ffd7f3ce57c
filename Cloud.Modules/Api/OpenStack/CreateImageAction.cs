using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>createImage</c>: a snapshot of the server into a new private image; 202 with <c>{"image_id"}</c> from 2.45, before that an
/// empty 202 with the image's Location.
/// </summary>
public sealed class CreateImageAction(InstanceMoveApi moves) : IServerAction
{
    public IReadOnlyList<string> Names { get; } = ["createImage"];

    public async Task ActAsync(ServerActionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var body = call.Arguments;
        var name = body.ValueKind == JsonValueKind.Object ? NovaJson.String(body, "name") : null;
        if (name is null || name.Trim().Length == 0 || name.Length > 255)
        {
            throw CloudException.Invalid("Invalid input for field/attribute createImage. Value: " + body.GetRawText() + ". 'name' is a required property");
        }
        var properties = NovaJson.StringMap(body, "metadata") ?? [];
        var imageId = await moves.CreateImageAsync(call.Context, call.Instance, name.Trim(), properties, call.CancellationToken).ConfigureAwait(false);
        if (call.Version.AtLeast(45))
        {
            await NovaJson.WriteAsync(call.Http, StatusCodes.Status202Accepted, new { image_id = imageId }).ConfigureAwait(false);
            return;
        }
        call.Http.Response.Headers.Location = $"{NovaJson.BaseUrl(call.Http)}/images/{imageId}";
        NovaJson.Empty(call.Http, StatusCodes.Status202Accepted);
    }
}
