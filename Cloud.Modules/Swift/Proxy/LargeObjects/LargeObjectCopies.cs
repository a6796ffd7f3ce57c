namespace Cloud.Modules.Swift.Proxy.LargeObjects;

/// <summary>
/// A server-side copy whose source is a large object, as swift's copy middleware makes it through slo and dlo: the
/// joined content becomes a plain object; with <c>?multipart-manifest=get</c> the manifest itself is copied instead (a
/// dynamic one as the same X-Object-Manifest, a static one as its raw manifest stored again with
/// <c>multipart-manifest=put</c>, which checks its segments anew).
/// </summary>
public sealed class LargeObjectCopies(ProxyDloHandler dlo, ProxySegmentReader segmentReader)
{
    /// <summary>
    /// Copies <paramref name="read"/> (the source manifest's GET) to <paramref name="destination"/> (the PUT, authorised)
    /// through <paramref name="next"/>; <paramref name="request"/> is the copy as made in the source's account.
    /// </summary>
    public async Task CopyAsync(SwiftProxyRequest request, SwiftProxyRequest destination, HttpResponseMessage read, (string Container, string Object) source,
        Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(next);
        var context = request.Context;
        var copiedFrom = $"{Uri.EscapeDataString(source.Container)}/{Uri.EscapeDataString(source.Object)}";
        var asManifest = ProxySloHandler.Asks(request.Query, "get");
        if (asManifest && ProxySloHandler.IsManifest(read))
        {
            var stored = await read.Content.ReadAsByteArrayAsync(request.Aborted).ConfigureAwait(false);
            if (SloManifestOutput.Raw(stored) is not { } raw)
            {
                await SwiftProxyReply.ErrorAsync(context, Microsoft.AspNetCore.Http.StatusCodes.Status409Conflict, "Not an SLO manifest").ConfigureAwait(false);
                return;
            }
            using var manifest = new MemoryStream(raw, writable: false);
            context.Response.Headers["X-Copied-From"] = copiedFrom;
            await next(destination with { Query = "?multipart-manifest=put", Copy = ProxyCopySource.From(read, manifest, context.Request) with { IsManifest = true } }).ConfigureAwait(false);
            return;
        }
        if (asManifest)
        {
            // The DLO's manifest object as it is: its (usually empty) body and its X-Object-Manifest.
            await using var body = await read.Content.ReadAsStreamAsync(request.Aborted).ConfigureAwait(false);
            var copy = ProxyCopySource.From(read, body, context.Request);
            context.Response.Headers["X-Copied-From"] = copiedFrom;
            await next(destination with { Copy = copy with { Metadata = [.. copy.Metadata, KeyValuePair.Create(ProxyDloHandler.Header, ProxyDloHandler.ManifestOf(read)!)] } }).ConfigureAwait(false);
            return;
        }
        var segments = await SegmentsAsync(request, read).ConfigureAwait(false);
        if (segments is null)
        {
            return;
        }
        // Spooled: the destination's PUT reads its body at its own pace, and must know the whole before it commits.
        var spool = Path.Combine(Path.GetTempPath(), "cloudd-swift-copy-" + Guid.NewGuid().ToString("N"));
        await using var joined = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        if (!await segmentReader.CopyAsync(request, segments, joined).ConfigureAwait(false))
        {
            await SwiftProxyReply.ErrorAsync(context, Microsoft.AspNetCore.Http.StatusCodes.Status409Conflict, "A segment of the large object could not be read").ConfigureAwait(false);
            return;
        }
        joined.Position = 0;
        context.Response.Headers["X-Copied-From"] = copiedFrom;
        await next(destination with { Query = "", Copy = ProxyCopySource.From(read, joined, context.Request) }).ConfigureAwait(false);
    }

    /// <summary>The source's segments; null when the caller may not list them (the refusal already answered).</summary>
    private async Task<IReadOnlyList<ProxySegment>?> SegmentsAsync(SwiftProxyRequest request, HttpResponseMessage read)
    {
        if (ProxySloHandler.IsManifest(read))
        {
            if (await ProxySloHandler.ReadManifestAsync(read, request.Aborted).ConfigureAwait(false) is { } listed)
            {
                return listed;
            }
            await SwiftProxyReply.ErrorAsync(request.Context, Microsoft.AspNetCore.Http.StatusCodes.Status409Conflict, "Not an SLO manifest").ConfigureAwait(false);
            return null;
        }
        var (segments, refusal) = await dlo.SegmentsAsync(request, ProxyDloHandler.ManifestOf(read)!).ConfigureAwait(false);
        if (refusal is { } refused)
        {
            await SwiftProxyReply.ErrorAsync(request.Context, refused.Status, refused.Message).ConfigureAwait(false);
            return null;
        }
        return segments;
    }
}
