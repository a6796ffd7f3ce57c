using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware.Symlink;

/// <summary>The symlink middleware's own refusals, which swift sends as text/plain (not swob's HTML pages).</summary>
public static class SymlinkReply
{
    /// <summary>Writes <paramref name="status"/> with a text/plain <paramref name="message"/>, and the link's target as Content-Location when known.</summary>
    public static async Task PlainAsync(HttpContext context, int status, string message, string? contentLocation = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }
        var body = Encoding.UTF8.GetBytes(message);
        response.StatusCode = status;
        response.ContentType = "text/plain";
        response.ContentLength = body.Length;
        if (contentLocation is not null)
        {
            response.Headers.ContentLocation = contentLocation;
        }
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
