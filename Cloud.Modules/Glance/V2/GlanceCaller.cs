using Cloud.Modules.Identity;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>Who calls the image API: the identity module's token in <c>X-Auth-Token</c> (401 without one).</summary>
public sealed class GlanceCaller(RequestAuthenticator authenticator)
{
    public Task<RequestContext> ContextAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return authenticator.FromTokenAsync(
            context.Request.Headers["X-Auth-Token"].ToString(),
            (string)context.Items[nameof(RequestContext.RequestId)]!,
            context.Connection.RemoteIpAddress?.ToString(),
            context.RequestAborted);
    }
}
