using System.Globalization;
using Cloud.Modules.Swift.Common;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// What the proxy's middlewares need of a container (swift's <c>get_container_info</c>): whether it exists, its counts
/// and its X-Container-Meta-* (names lower case, without the prefix). Read once per client request: the answer is kept
/// in the request's items, as swift keeps it in the WSGI environment.
/// </summary>
/// <param name="Exists">A container replica answered 2xx.</param>
/// <param name="ObjectCount">X-Container-Object-Count.</param>
/// <param name="BytesUsed">X-Container-Bytes-Used.</param>
/// <param name="Meta">The metadata, keyed by the lower-case name after X-Container-Meta-.</param>
public sealed record ProxyContainerInfo(bool Exists, long ObjectCount, long BytesUsed, IReadOnlyDictionary<string, string> Meta)
{
    private const string MetaPrefix = "X-Container-Meta-";

    /// <summary>One metadata value, trimmed; empty when unset.</summary>
    public string MetaOf(string name) => Meta.TryGetValue(name, out var value) ? value.Trim() : "";

    /// <summary>The request's container's info, read from the first container replica that answers.</summary>
    public static async Task<ProxyContainerInfo> GetAsync(SwiftRings rings, SwiftBackend backend, SwiftProxyRequest request)
    {
        ArgumentNullException.ThrowIfNull(rings);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(request);
        var key = $"{nameof(ProxyContainerInfo)}:{request.Account}/{request.Container}";
        if (request.Context.Items[key] is ProxyContainerInfo known)
        {
            return known;
        }
        var ring = rings.Container;
        var part = ring.GetPartition(request.Account, request.Container);
        using var head = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account, request.Container), "HEAD", null, request.Aborted).ConfigureAwait(false);
        var info = head is { IsSuccessStatusCode: true }
            ? new ProxyContainerInfo(true, Number(head, "X-Container-Object-Count"), Number(head, "X-Container-Bytes-Used"),
                head.Headers.Where(h => h.Key.StartsWith(MetaPrefix, StringComparison.OrdinalIgnoreCase))
                    .ToDictionary(h => h.Key[MetaPrefix.Length..].ToLowerInvariant(), h => string.Join(',', h.Value), StringComparer.Ordinal))
            : new ProxyContainerInfo(false, 0, 0, new Dictionary<string, string>());
        request.Context.Items[key] = info;
        return info;
    }

    private static long Number(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
}
