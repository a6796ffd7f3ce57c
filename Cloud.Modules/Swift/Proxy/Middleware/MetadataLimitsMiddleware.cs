using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's metadata constraints on every write (the controllers' <c>check_metadata</c>): a PUT or POST of an account,
/// container or object whose user metadata breaks <see cref="SwiftMetadataLimits"/> is 400 with Swift's text/plain
/// message, before anything reaches a storage server.
/// </summary>
public sealed class MetadataLimitsMiddleware : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (request.Method is "PUT" or "POST")
        {
            var target = request.Object is not null ? "object" : request.Container is not null ? "container" : "account";
            if (SwiftMetadataLimits.Check(request.Context.Request.Headers, target) is { } refusal)
            {
                await SwiftProxyReply.PlainErrorAsync(request.Context, StatusCodes.Status400BadRequest, refusal).ConfigureAwait(false);
                return;
            }
        }
        await next(request).ConfigureAwait(false);
    }
}
