using Cloud.Modules.Swift.Proxy.Pipeline;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>swift's <c>healthcheck</c>: <c>/healthcheck</c> answers 200 "OK" to any method, without authentication.</summary>
public sealed class HealthcheckMiddleware : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    public Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        return request.Path == "/healthcheck" ? SwiftProxyReply.TextAsync(request.Context, "OK", "text/plain") : next(request);
    }
}
