using Cloud.Modules.Swift.Common;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// An object GET or HEAD as the client asked it (its conditions and range), on the replicas of the container's policy:
/// the object controller's read, which symlink sends itself and hands down (<see cref="SwiftProxyRequest.Read"/>)
/// when the object turns out not to be a link, so a plain object costs one read, not a HEAD and then a GET.
/// </summary>
public sealed class ProxyObjectRead(SwiftRings rings, SwiftBackend backend, ProxyContainerPolicy policies)
{
    /// <summary>The first replica's (then handoff's) answer, headers read, body not yet; null when none answered.</summary>
    public async Task<HttpResponseMessage?> SendAsync(SwiftProxyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = await policies.IndexOfAsync(request.Account, request.Container!, request.Aborted).ConfigureAwait(false);
        return await SendAsync(request, policy).ConfigureAwait(false);
    }

    /// <summary>As <see cref="SendAsync(SwiftProxyRequest)"/> for a caller that has read the container's policy already.</summary>
    public Task<HttpResponseMessage?> SendAsync(SwiftProxyRequest request, int policy)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ring = rings.ObjectRing(policy);
        var part = ring.GetPartition(request.Account, request.Container, request.Object);
        var client = request.Context.Request;
        return backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account, request.Container, request.Object) + request.Query, request.Method,
            m =>
            {
                SwiftProxyHeaders.Copy(client, m, null, SwiftProxyHeaders.Read);
                ProxyContainerPolicy.Name(m, policy);
            }, request.Aborted,
            HttpCompletionOption.ResponseHeadersRead);
    }
}
