using System.Text;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>swift's name constraints: a container name of at most 256 bytes of UTF-8, an object name of at most 1024; longer is 400.</summary>
public sealed class NameLimitsMiddleware : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    /// <summary>Swift's <c>MAX_CONTAINER_NAME_LENGTH</c>.</summary>
    public const int MaxContainerNameBytes = 256;

    /// <summary>Swift's <c>MAX_OBJECT_NAME_LENGTH</c>.</summary>
    public const int MaxObjectNameBytes = 1024;

    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        var (container, obj) = (request.Container, request.Object);
        if (container is not null && Encoding.UTF8.GetByteCount(container) > MaxContainerNameBytes)
        {
            await SwiftProxyReply.ErrorAsync(request.Context, StatusCodes.Status400BadRequest, $"Container name length of {Encoding.UTF8.GetByteCount(container)} longer than {MaxContainerNameBytes}").ConfigureAwait(false);
            return;
        }
        if (obj is not null && Encoding.UTF8.GetByteCount(obj) > MaxObjectNameBytes)
        {
            // check_object_creation answers in text/plain (the container's length check, in the controller, in swob's text/html).
            await SwiftProxyReply.PlainErrorAsync(request.Context, StatusCodes.Status400BadRequest, $"Object name length of {Encoding.UTF8.GetByteCount(obj)} longer than {MaxObjectNameBytes}").ConfigureAwait(false);
            return;
        }
        await next(request).ConfigureAwait(false);
    }
}
