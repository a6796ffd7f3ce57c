using Cloud.Modules.Identity;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>
/// Who calls the image API: the identity module's token in <c>X-Auth-Token</c> (401 without one); an image reader's
/// token stands for the instance owner it names, and for image reads only (<see cref="ImageReaders"/>).
/// </summary>
public sealed class GlanceCaller(AuthenticationApi authenticator, ImageReaders readers)
{
    public async Task<RequestContext> ContextAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = await authenticator.FromTokenOrImageReaderAsync(
            context.Request.Headers["X-Auth-Token"].ToString(),
            (string)context.Items[nameof(RequestContext.RequestId)]!,
            context.Connection.RemoteIpAddress?.ToString(),
            context.RequestAborted).ConfigureAwait(false);
        return caller.Roles.Contains(Roles.ImageReader) ? await readers.OwnerContextAsync(caller, context).ConfigureAwait(false) : caller;
    }
}
