using Cloud.Modules.Swift.Proxy.Pipeline;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>catch_errors</c>, first in the pipeline: a client that went away mid-request (swift's 499) ends the
/// request quietly. Every other exception reaches the host's HTTP error net, which answers it with
/// <see cref="SwiftProxyReply.ErrorAsync"/>, the proxy's one error writer.
/// </summary>
public sealed class CatchErrorsMiddleware : ISwiftProxyMiddleware<SwiftProxyEntry>
{
    public async Task InvokeAsync(SwiftProxyEntry request, Func<SwiftProxyEntry, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(request).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (request.Context.RequestAborted.IsCancellationRequested)
        {
            // Nobody is left to answer.
        }
    }
}
