using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Modules.Glance;

/// <summary>
/// What glance lets a token with the <see cref="Roles.ImageReader"/> role (a compute host's service user) do: read one
/// image's record and data, v1 and v2, as the instance owner it names in <see cref="OnBehalfOfHeaders"/>. The owner's
/// project and roles decide visibility exactly as the owner's own token would, so a host cannot boot another project's
/// private image; every write, list or member call with such a token is refused, so a host can change nothing.
/// </summary>
public sealed class ImageReaders(AuthenticationApi authenticator)
{
    private static readonly string[] ReadableRoutes = ["/v1/images/{id}", "/v2/images/{id}", "/v2/images/{id}/file"];

    /// <summary>The owner's context for a reader's request, or 403 when the request is not an image read or names no owner.</summary>
    public async Task<RequestContext> OwnerContextAsync(RequestContext reader, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(context);
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var reads = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        if (!reads || route is null || !ReadableRoutes.Contains(route, StringComparer.Ordinal))
        {
            throw CloudException.Forbidden($"The {Roles.ImageReader} role may only read an image's record and data.");
        }
        var userId = context.Request.Headers[OnBehalfOfHeaders.User].ToString();
        var projectId = context.Request.Headers[OnBehalfOfHeaders.Project].ToString();
        if (userId.Length == 0 || projectId.Length == 0)
        {
            throw CloudException.Forbidden($"An {Roles.ImageReader} reads on behalf of an instance owner: name it in {OnBehalfOfHeaders.User} and {OnBehalfOfHeaders.Project}.");
        }
        return await authenticator.OnBehalfOfAsync(userId, projectId, reader, context.RequestAborted).ConfigureAwait(false);
    }
}
