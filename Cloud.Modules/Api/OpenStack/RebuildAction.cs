using System.Text.Json;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>rebuild</c>: the server made anew from <c>imageRef</c>, with a new name, metadata, description (2.19), key pair (2.54) and
/// user data (2.57) when given; answers 202 with the server as GET shows it, its <c>adminPass</c> and a Location header.
/// </summary>
public sealed class RebuildAction(InstanceMoveApi moves, ComputeApi compute, ServerDetails details) : IServerAction
{
    public IReadOnlyList<string> Names { get; } = ["rebuild"];

    public async Task ActAsync(ServerActionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var body = call.Arguments.ValueKind == JsonValueKind.Object
            ? call.Arguments
            : throw CloudException.Invalid("Invalid input for field/attribute rebuild. Value: None. None is not of type 'object'");
        var imageRef = NovaJson.String(body, "imageRef")?.TrimEnd('/').Split('/')[^1];
        if (string.IsNullOrEmpty(imageRef))
        {
            throw CloudException.Invalid("Invalid input for field/attribute rebuild. Value: " + body.GetRawText() + ". 'imageRef' is a required property");
        }
        var version = call.Version;
        var request = new RebuildRequest(
            imageRef,
            Name(body),
            NovaJson.StringMap(body, "metadata"),
            KeyNameGiven: version.AtLeast(54) && body.TryGetProperty("key_name", out _),
            KeyName: NovaJson.String(body, "key_name"),
            UserDataGiven: version.AtLeast(57) && body.TryGetProperty("user_data", out _),
            UserData: NovaJson.String(body, "user_data"),
            DescriptionGiven: version.AtLeast(19) && body.TryGetProperty("description", out _),
            Description: NovaJson.String(body, "description"),
            PreserveEphemeral: body.TryGetProperty("preserve_ephemeral", out var preserve) && preserve.ValueKind == JsonValueKind.True);
        var password = NovaJson.String(body, "adminPass") ?? ServerCreateBody.NewPassword();
        await moves.RebuildAsync(call.Context, call.Instance, request, call.CancellationToken).ConfigureAwait(false);

        var rebuilt = await compute.GetAsync(call.Context, call.Instance.Uuid, call.CancellationToken).ConfigureAwait(false);
        var server = await details.OneAsync(call.Http, call.Context, rebuilt, ServerViewOptions.Rebuild(version)).ConfigureAwait(false);
        server["adminPass"] = password;
        if (version.AtLeast(57))
        {
            server["user_data"] = rebuilt.UserData;
        }
        call.Http.Response.Headers.Location = $"{NovaJson.BaseUrl(call.Http)}/v2.1/servers/{rebuilt.Uuid}";
        await NovaJson.WriteAsync(call.Http, StatusCodes.Status202Accepted, new { server }).ConfigureAwait(false);
    }

    /// <summary>nova's name schema: 1 to 255 characters, not only blanks.</summary>
    private static string? Name(JsonElement body)
    {
        var name = NovaJson.String(body, "name");
        if (name is not null && (name.Trim().Length == 0 || name.Length > 255))
        {
            throw CloudException.Invalid($"Invalid input for field/attribute name. Value: {name}. '{name}' does not match '^(?![\\ ])[\\ -~]{{1,255}}(?<![\\ ])$'");
        }
        return name?.Trim();
    }
}
