namespace Cloud.Modules.Swift.Proxy.Pipeline;

/// <summary>
/// One step of the proxy's pipeline (a filter of swift's <c>proxy-server.conf</c>): it answers the request itself or
/// hands it, possibly changed, to the next step.
/// </summary>
/// <typeparam name="TRequest">What the step sees: <see cref="SwiftProxyEntry"/> before the path names an account, <see cref="SwiftProxyRequest"/> after.</typeparam>
public interface ISwiftProxyMiddleware<TRequest>
{
    /// <summary>Handles <paramref name="request"/>, or passes it on to the rest of the pipeline.</summary>
    Task InvokeAsync(TRequest request, Func<TRequest, Task> next);
}
