using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.LargeObjects;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Serves a large object (static or dynamic) as its segments joined: a Range applies to the joined bytes, every
/// segment is read as the caller (its container's ACL is checked as if the caller had asked for it), a segment that is
/// itself a static large object is joined in turn (as swift's SLO nesting), and the body sent is always exactly the
/// Content-Length announced: a segment that fails before the first byte answers 409 as swift does, later the
/// connection is cut.
/// </summary>
public sealed class ProxySegmentReader(SwiftBackend backend, SwiftProxyAuthorizer authorizer, ProxyContainerPolicy policies)
{
    // swift's slo max_slo_recursion_depth.
    private const int MaxNesting = 10;

    /// <summary>
    /// Answers a GET or HEAD of a large object with <paramref name="segments"/> joined, under the metadata of
    /// <paramref name="manifest"/> (the stored manifest object); <paramref name="markerHeader"/> tells the client what
    /// kind of large object it is (static: X-Static-Large-Object, dynamic: X-Object-Manifest). Conditions are checked
    /// against the large object's ETag. <paramref name="staticLargeObject"/> picks swift's slo's ways over its dlo's:
    /// several ranges make a multipart/byteranges answer (dlo: the whole object), and a 416 keeps the object's headers
    /// and Content-Type (dlo: an error page's).
    /// </summary>
    public async Task ServeAsync(SwiftProxyRequest request, HttpResponseMessage manifest, IReadOnlyList<ProxySegment> segments, string markerHeader, string markerValue,
        bool staticLargeObject = false, IReadOnlyDictionary<string, string>? extraHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(segments);
        var context = request.Context;
        var isHead = HttpMethods.IsHead(context.Request.Method);
        if (!isHead)
        {
            foreach (var container in segments.Select(s => s.Container).Distinct(StringComparer.Ordinal))
            {
                if (await authorizer.CheckSubrequestAsync(request, "GET", container, listing: false).ConfigureAwait(false) is { } refusal)
                {
                    await SwiftProxyReply.ErrorAsync(context, refusal.Status, refusal.Message).ConfigureAwait(false);
                    return;
                }
            }
        }
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        foreach (var (name, values) in manifest.Headers)
        {
            if (name.StartsWith("X-Object-Meta-", StringComparison.OrdinalIgnoreCase) || name is "X-Timestamp" or "Last-Modified")
            {
                response.Headers[name] = values.ToArray();
            }
        }
        if (manifest.Content.Headers.LastModified is { } modified)
        {
            response.Headers.LastModified = modified.ToString("R", CultureInfo.InvariantCulture);
        }
        response.Headers[markerHeader] = markerValue;
        foreach (var (name, value) in extraHeaders ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }
        var contentType = manifest.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        response.ContentType = contentType;
        // Quoted, as swift does for large objects: it is not the MD5 of the body, so clients must not check it.
        var etag = ProxySegment.EtagOf(segments);
        response.Headers.ETag = $"\"{etag}\"";
        if (LargeObjectConditions.Check(context.Request, etag, manifest.Content.Headers.LastModified) is { } failed)
        {
            // swob's answer to a failed condition: no body, the object's headers; a 412 has the error page's type.
            response.StatusCode = failed;
            response.Headers.ContentLength = 0;
            if (failed == StatusCodes.Status412PreconditionFailed)
            {
                response.ContentType = SwiftErrorPage.ContentType;
            }
            else
            {
                response.Headers.AcceptRanges = "bytes";
            }
            return;
        }
        response.Headers.AcceptRanges = "bytes";
        var total = segments.Sum(s => s.Bytes);
        var ranges = ByteRanges.Parse(context.Request.Headers.Range.ToString(), total);
        if (ranges is { Count: > 1 } && !staticLargeObject)
        {
            ranges = null;
        }
        if (ranges is { Count: 0 })
        {
            response.Headers.ContentRange = $"bytes */{total}";
            if (!staticLargeObject)
            {
                await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status416RangeNotSatisfiable, "Requested Range Not Satisfiable").ConfigureAwait(false);
                return;
            }
            var page = Encoding.UTF8.GetBytes(SwiftErrorPage.Body(StatusCodes.Status416RangeNotSatisfiable, null));
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.ContentLength = page.Length;
            if (!isHead)
            {
                await response.Body.WriteAsync(page, request.Aborted).ConfigureAwait(false);
            }
            return;
        }
        if (ranges is { Count: > 1 })
        {
            await ServeRangesAsync(request, segments, ranges, total, contentType, isHead).ConfigureAwait(false);
            return;
        }
        var (offset, count) = (0L, total);
        if (ranges is [var range])
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {range.Start}-{range.End}/{total}";
            (offset, count) = (range.Start, range.Length);
        }
        response.ContentLength = count;
        if (isHead || count == 0)
        {
            return;
        }
        await FinishAsync(request, await WriteAsync(request, response.Body, segments, offset, count, 0).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the joined segments to <paramref name="target"/> (a copy of the large object); false when a segment
    /// could not be read as the caller.
    /// </summary>
    public async Task<bool> CopyAsync(SwiftProxyRequest request, IReadOnlyList<ProxySegment> segments, Stream target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(segments);
        var total = segments.Sum(s => s.Bytes);
        return total == 0 || await WriteAsync(request, target, segments, 0, total, 0).ConfigureAwait(false);
    }

    /// <summary>Several ranges as swob answers them: 206, multipart/byteranges, one part per range with its Content-Range.</summary>
    private async Task ServeRangesAsync(SwiftProxyRequest request, IReadOnlyList<ProxySegment> segments, IReadOnlyList<ByteRange> ranges, long total, string contentType, bool isHead)
    {
        var response = request.Context.Response;
        var boundary = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        string PartHeader(ByteRange r) => $"--{boundary}\r\nContent-Type: {contentType}\r\nContent-Range: bytes {r.Start}-{r.End}/{total}\r\n\r\n";
        var closing = $"--{boundary}--";
        response.StatusCode = StatusCodes.Status206PartialContent;
        response.ContentType = $"multipart/byteranges;boundary={boundary}";
        response.ContentLength = ranges.Sum(r => Encoding.UTF8.GetByteCount(PartHeader(r)) + r.Length + 2) + closing.Length;
        if (isHead)
        {
            return;
        }
        foreach (var range in ranges)
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(PartHeader(range)), request.Aborted).ConfigureAwait(false);
            if (!await WriteAsync(request, response.Body, segments, range.Start, range.Length, 0).ConfigureAwait(false))
            {
                await FinishAsync(request, false).ConfigureAwait(false);
                return;
            }
            await response.Body.WriteAsync("\r\n"u8.ToArray(), request.Aborted).ConfigureAwait(false);
        }
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(closing), request.Aborted).ConfigureAwait(false);
    }

    /// <summary>After the body: a segment that failed before the first byte answers 409, later the connection is cut.</summary>
    private static async Task FinishAsync(SwiftProxyRequest request, bool written)
    {
        if (written)
        {
            return;
        }
        var context = request.Context;
        var response = context.Response;
        if (!response.HasStarted)
        {
            var requestId = response.Headers["X-Openstack-Request-Id"];
            response.Clear();
            response.Headers["X-Openstack-Request-Id"] = requestId;
            await SwiftProxyReply.ErrorAsync(context, StatusCodes.Status409Conflict, "A segment of the large object could not be read").ConfigureAwait(false);
            return;
        }
        // The status is already sent; cutting the body short is how swift reports a lost segment too.
        context.Abort();
    }

    /// <summary>Writes <paramref name="count"/> bytes from <paramref name="offset"/> of the joined segments; false when a segment failed.</summary>
    private async Task<bool> WriteAsync(SwiftProxyRequest request, Stream target, IReadOnlyList<ProxySegment> segments, long offset, long count, int depth)
    {
        foreach (var segment in segments)
        {
            if (count == 0)
            {
                break;
            }
            if (offset >= segment.Bytes)
            {
                offset -= segment.Bytes;
                continue;
            }
            var take = Math.Min(count, segment.Bytes - offset);
            if (!await WriteSegmentAsync(request, target, segment, offset, take, depth).ConfigureAwait(false))
            {
                return false;
            }
            (offset, count) = (0, count - take);
        }
        return count == 0;
    }

    private async Task<bool> WriteSegmentAsync(SwiftProxyRequest request, Stream target, ProxySegment segment, long offset, long count, int depth)
    {
        if (await authorizer.CheckSubrequestAsync(request, "GET", segment.Container, listing: false).ConfigureAwait(false) is not null)
        {
            return false;
        }
        // Offsets within the segment object itself: an SLO segment may use only a range of it.
        var first = (segment.Start ?? 0) + offset;
        var whole = segment.Start is null && offset == 0 && count == segment.Bytes;
        using var part = await ReadAsync(request.Account, segment, whole ? null : $"bytes={first}-{first + count - 1}", request.Aborted).ConfigureAwait(false);
        if (part is null)
        {
            return false;
        }
        if (ProxySloHandler.IsManifest(part))
        {
            // A static large object inside a large object: its own segments, the same range of them.
            if (depth >= MaxNesting)
            {
                return false;
            }
            using var nested = await ReadAsync(request.Account, segment, null, request.Aborted).ConfigureAwait(false);
            var inner = nested is { IsSuccessStatusCode: true } && ProxySloHandler.IsManifest(nested)
                ? await ProxySloHandler.ReadManifestAsync(nested, request.Aborted).ConfigureAwait(false)
                : null;
            return inner is not null && await WriteAsync(request, target, inner, first, count, depth + 1).ConfigureAwait(false);
        }
        if (!part.IsSuccessStatusCode || part.Content.Headers.ContentLength != count)
        {
            // Gone, or no longer the size the manifest or listing recorded: the body would not match its length.
            return false;
        }
        var body = await part.Content.ReadAsStreamAsync(request.Aborted).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var buffer = new byte[64 * 1024];
            var left = count;
            int read;
            while (left > 0 && (read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), request.Aborted).ConfigureAwait(false)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), request.Aborted).ConfigureAwait(false);
                left -= read;
            }
            return left == 0;
        }
    }

    private async Task<HttpResponseMessage?> ReadAsync(string account, ProxySegment segment, string? range, CancellationToken cancellationToken)
    {
        // A segment is read through its own container's policy ring, as swift's sub-request is.
        var (ring, setup) = await policies.ReadOfAsync(account, segment.Container, cancellationToken,
            range is null ? null : m => m.Headers.TryAddWithoutValidation("Range", range)).ConfigureAwait(false);
        var part = ring.GetPartition(account, segment.Container, segment.Object);
        return await backend.FirstAsync(ring, part, n => SwiftBackend.PathOf(n, part, account, segment.Container, segment.Object), "GET",
            setup, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
    }
}
