using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware.Symlink;

/// <summary>The symlink middleware's own refusals, which swift sends as text/plain (not swob's HTML pages).</summary>
public static class SymlinkReply
{
    /// <summary>Writes <paramref name="status"/> with a text/plain <paramref name="message"/>, and the link's target as Content-Location when known.</summary>
    public static Task PlainAsync(HttpContext context, int status, string message, string? contentLocation = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (contentLocation is not null && !context.Response.HasStarted)
        {
            context.Response.Headers.ContentLocation = contentLocation;
        }
        return SwiftProxyReply.PlainErrorAsync(context, status, message);
    }
}
