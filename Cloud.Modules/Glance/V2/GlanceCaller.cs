using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>
/// Who calls the image API: the identity module's token in <c>X-Auth-Token</c> (401 without one); an image reader's
/// token stands for the instance owner it names, and for image reads only (<see cref="ImageReaders"/>).
/// </summary>
public sealed class GlanceCaller(AuthenticationApi authenticator, ImageReaders readers)
{
    /// <summary>What glance's keystonemiddleware answers (webob's 401) for a missing, bad or expired token alike.</summary>
    public const string Unauthenticated = "This server could not verify that you are authorized to access the document you requested. "
        + "Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.";

    public async Task<RequestContext> ContextAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RequestContext caller;
        try
        {
            caller = await authenticator.FromTokenOrImageReaderAsync(
                context.Request.Headers["X-Auth-Token"].ToString(),
                (string)context.Items[nameof(RequestContext.RequestId)]!,
                context.Connection.RemoteIpAddress?.ToString(),
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.Unauthorized)
        {
            throw CloudException.Unauthorized(Unauthenticated);
        }
        if (caller.Roles.Contains(Roles.ImageReader))
        {
            return await readers.OwnerContextAsync(caller, context).ConfigureAwait(false);
        }
        Personas.RequireWriter(caller, context.Request.Method, () => $"You are not authorized to complete {GlanceAction(context.Request)} action.");
        return caller;
    }

    /// <summary>The name glance's policy gives a change (add_image, modify_image, delete_image, upload_image, add_member, ...).</summary>
    private static string GlanceAction(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        var noun = path.Contains("/members", StringComparison.Ordinal) ? "member" : path.Contains("/tags", StringComparison.Ordinal) ? "image_tag" : "image";
        return request.Method.ToUpperInvariant() switch
        {
            "POST" => $"add_{noun}",
            "DELETE" => $"delete_{noun}",
            "PUT" when path.EndsWith("/file", StringComparison.Ordinal) => "upload_image",
            _ => $"modify_{noun}",
        };
    }
}
