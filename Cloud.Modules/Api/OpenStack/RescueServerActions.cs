using Cloud.Modules.Compute;
using Cloud.Modules.Glance;
using Cloud.Modules.Kernel;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// <c>rescue</c> (200 with the <c>adminPass</c>, given or generated, as nova answers) and <c>unrescue</c> (202): nova's
/// rescue controller. <c>rescue_image_ref</c> must name an image the caller can see.
/// </summary>
public sealed class RescueServerActions(GuestStateApi guests, ImageApi images) : IServerAction
{
    public IReadOnlyList<string> Names { get; } = ["rescue", "unrescue"];

    public async Task ActAsync(ServerActionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Action == "unrescue")
        {
            await guests.UnrescueAsync(call.Context, call.Instance, call.CancellationToken).ConfigureAwait(false);
            return;
        }
        var args = ActionArguments.ObjectOrNull(call.Arguments, "rescue", "adminPass", "rescue_image_ref");
        var password = ActionArguments.OptionalString(args, "rescue", "adminPass", 0, int.MaxValue) ?? ServerCreateBody.NewPassword();
        var imageRef = ActionArguments.OptionalString(args, "rescue", "rescue_image_ref", 0, int.MaxValue);
        if (imageRef is not null)
        {
            await RequireImageAsync(call, imageRef).ConfigureAwait(false);
        }
        await guests.RescueAsync(call.Context, call.Instance, imageRef, volumeBacked: string.IsNullOrEmpty(call.Instance.ImageRef), call.CancellationToken).ConfigureAwait(false);
        await NovaJson.WriteAsync(call.Http, StatusCodes.Status200OK, new { adminPass = password }).ConfigureAwait(false);
    }

    /// <summary>nova's UnsupportedRescueImage (400) for a malformed, missing or invisible image.</summary>
    private async Task RequireImageAsync(ServerActionCall call, string imageRef)
    {
        if (!Guid.TryParse(imageRef, out _))
        {
            throw CloudException.Invalid($"Invalid input for field/attribute rescue/rescue_image_ref. Value: \"{imageRef}\". '{imageRef}' is not a 'uuid'");
        }
        try
        {
            await images.GetAsync(call.Context, imageRef, call.CancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            throw CloudException.Invalid($"Requested rescue image '{imageRef}' is not supported");
        }
    }
}
