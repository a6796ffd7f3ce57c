using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.LargeObjects;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy.Middleware;

/// <summary>
/// swift's <c>copy</c>: <c>COPY</c> with <c>Destination</c>, or <c>PUT</c> with <c>X-Copy-From</c>, becomes a PUT of the
/// destination whose body is the source's (<see cref="SwiftProxyRequest.Copy"/>). Only the account's owners copy; a
/// large object is copied by <see cref="LargeObjectCopies"/>.
/// </summary>
public sealed class CopyMiddleware(SwiftRings rings, SwiftBackend backend, LargeObjectCopies largeObjects) : ISwiftProxyMiddleware<SwiftProxyRequest>
{
    public async Task InvokeAsync(SwiftProxyRequest request, Func<SwiftProxyRequest, Task> next)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(next);
        if (request.Object is null || !ProxyCopySource.IsCopy(request))
        {
            await next(request).ConfigureAwait(false);
            return;
        }
        var context = request.Context;
        var isCopy = request.Method == "COPY";
        var header = isCopy ? ProxyCopySource.DestinationHeader : ProxyCopySource.CopyFromHeader;
        if (ProxyCopySource.ParsePath(context.Request.Headers[header].ToString()) is not { } named)
        {
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status412PreconditionFailed, $"{header} header must be of the form <container name>/<object name>").ConfigureAwait(false);
            return;
        }
        if (!request.OwnsAccount)
        {
            // A container ACL opens one container; a copy reads or writes another.
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status403Forbidden, "Copying needs access to the account, not only a container ACL").ConfigureAwait(false);
            return;
        }
        var (source, target) = isCopy ? ((request.Container!, request.Object), named) : (named, (request.Container!, request.Object));
        var ring = rings.Object;
        var part = ring.GetPartition(request.Account, source.Item1, source.Item2);
        using var read = await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, request.Account, source.Item1, source.Item2), "GET", null,
            request.Aborted, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (read is not { IsSuccessStatusCode: true })
        {
            await SwiftProxyReply.ErrorAsync(context, read is null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status404NotFound,
                read is null ? "Service Unavailable" : $"Copy source {source.Item1}/{source.Item2} not found").ConfigureAwait(false);
            return;
        }
        if (ProxySloHandler.IsManifest(read) || ProxyDloHandler.ManifestOf(read) is not null)
        {
            await largeObjects.CopyAsync(request, read, source, target, next).ConfigureAwait(false);
            return;
        }
        await using var data = await read.Content.ReadAsStreamAsync(request.Aborted).ConfigureAwait(false);
        context.Response.Headers["X-Copied-From"] = $"{Uri.EscapeDataString(source.Item1)}/{Uri.EscapeDataString(source.Item2)}";
        await next(request with { Container = target.Item1, Object = target.Item2, Copy = ProxyCopySource.From(read, data, context.Request) }).ConfigureAwait(false);
    }
}
