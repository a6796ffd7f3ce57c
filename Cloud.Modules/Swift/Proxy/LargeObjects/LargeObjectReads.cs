using System.Net;
using Cloud.Modules.Swift.Common;

namespace Cloud.Modules.Swift.Proxy.LargeObjects;

/// <summary>
/// Turns a GET or HEAD whose object is a large object's manifest into the large object (swift's slo and dlo on the
/// way back from the object server). The client's Range and conditions were sent with the first read and apply to the
/// manifest there; a 304, 412 or 416 from it is therefore checked again without them, and every large object is
/// served from a fresh, unconditional read of its manifest.
/// </summary>
public sealed class LargeObjectReads(SwiftBackend backend, ProxySloHandler slo, ProxyDloHandler dlo, ProxySegmentReader segmentReader, ProxyContainerPolicy policies)
{
    /// <summary>
    /// Serves the large object behind <paramref name="read"/> (the object server's answer to the client's request) and
    /// returns true, disposing <paramref name="read"/>; false, touching nothing, when the object is not one.
    /// </summary>
    public async Task<bool> TryServeAsync(SwiftProxyRequest request, HttpResponseMessage? read)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (read is null || ProxySloHandler.Asks(request.Query, "get"))
        {
            return false;
        }
        var conditional = read.StatusCode is HttpStatusCode.NotModified or HttpStatusCode.PreconditionFailed or HttpStatusCode.RequestedRangeNotSatisfiable;
        if (!read.IsSuccessStatusCode && !conditional)
        {
            return false;
        }
        if (!IsLarge(read) && !(conditional && await IsStoredLargeAsync(request).ConfigureAwait(false)))
        {
            return false;
        }
        using var manifest = await StoredAsync(request, "GET").ConfigureAwait(false);
        if (manifest is null || !IsLarge(manifest))
        {
            return false;
        }
        read.Dispose();
        if (ProxySloHandler.IsManifest(manifest))
        {
            await slo.ServeAsync(request, manifest).ConfigureAwait(false);
            return true;
        }
        var pointer = ProxyDloHandler.ManifestOf(manifest)!;
        var (segments, refusal) = await dlo.SegmentsAsync(request, pointer).ConfigureAwait(false);
        if (refusal is { } refused)
        {
            await SwiftProxyReply.ErrorAsync(request.Context, refused.Status, refused.Message).ConfigureAwait(false);
            return true;
        }
        await segmentReader.ServeAsync(request, manifest, segments, ProxyDloHandler.Header, pointer).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> IsStoredLargeAsync(SwiftProxyRequest request)
    {
        using var head = await StoredAsync(request, "HEAD").ConfigureAwait(false);
        return head is not null && IsLarge(head);
    }

    private static bool IsLarge(HttpResponseMessage response) => ProxySloHandler.IsManifest(response) || ProxyDloHandler.ManifestOf(response) is not null;

    /// <summary>The stored object whole (or its HEAD), without the client's Range or conditions; null when it is not there.</summary>
    private async Task<HttpResponseMessage?> StoredAsync(SwiftProxyRequest request, string method)
    {
        var (ring, setup) = await policies.ReadOfAsync(request.Account, request.Container!, request.Aborted).ConfigureAwait(false);
        var part = ring.GetPartition(request.Account, request.Container, request.Object);
        var manifest = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account, request.Container, request.Object), method, setup, request.Aborted).ConfigureAwait(false);
        if (manifest is { IsSuccessStatusCode: true })
        {
            return manifest;
        }
        manifest?.Dispose();
        return null;
    }
}
