using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Swift.Common;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Writes an object GET that has a Range, as swob does: one satisfiable range is a 206 with Content-Range; several
/// are a 206 <c>multipart/byteranges</c> (a 32-hex-digit boundary, each part with its Content-Type and Content-Range);
/// none is a 416 with <c>Content-Range: bytes */length</c> (and the object's Content-Type, as swob leaves it).
/// </summary>
internal static class ObjectRangeReply
{
    /// <summary>Writes the ranges of <paramref name="data"/> (<paramref name="size"/> bytes); the object's headers are set already.</summary>
    public static async Task WriteAsync(HttpContext context, Stream data, long size, List<(long Start, long End)> ranges)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        if (ranges.Count == 0)
        {
            var page = Encoding.UTF8.GetBytes(SwiftErrorPage.Body(StatusCodes.Status416RangeNotSatisfiable, null));
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{size}";
            response.ContentLength = page.Length;
            await response.Body.WriteAsync(page, aborted).ConfigureAwait(false);
            return;
        }
        response.StatusCode = StatusCodes.Status206PartialContent;
        if (ranges.Count == 1)
        {
            var (start, end) = ranges[0];
            response.Headers.ContentRange = ContentRange(start, end, size);
            response.ContentLength = end - start;
            await ObjectBodyCopy.ToResponseAsync(data, start, end, response, aborted).ConfigureAwait(false);
            return;
        }
        var boundary = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var contentType = response.ContentType ?? "application/octet-stream";
        var heads = ranges.Select(r => Encoding.UTF8.GetBytes(
            $"--{boundary}\r\nContent-Type: {contentType}\r\nContent-Range: {ContentRange(r.Start, r.End, size)}\r\n\r\n")).ToList();
        var tail = Encoding.UTF8.GetBytes($"--{boundary}--");
        var newline = "\r\n"u8.ToArray();
        response.ContentType = $"multipart/byteranges;boundary={boundary}";
        response.ContentLength = heads.Sum(h => h.Length + newline.Length) + ranges.Sum(r => r.End - r.Start) + tail.Length;
        for (var i = 0; i < ranges.Count; i++)
        {
            await response.Body.WriteAsync(heads[i], aborted).ConfigureAwait(false);
            await ObjectBodyCopy.ToResponseAsync(data, ranges[i].Start, ranges[i].End, response, aborted).ConfigureAwait(false);
            await response.Body.WriteAsync(newline, aborted).ConfigureAwait(false);
        }
        await response.Body.WriteAsync(tail, aborted).ConfigureAwait(false);
    }

    private static string ContentRange(long start, long end, long size) =>
        string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{end - 1}/{size}");
}
