using System.Globalization;
using Cloud.Modules.Kernel.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V2;

/// <summary>
/// <c>/v2/images/{id}/file</c>: upload (chunked or with a Content-Length, streamed to the store) and download
/// (whole, with <c>Content-MD5</c>, or one byte range with 206; 204 when the image has no data yet).
/// </summary>
public sealed class ImageDataRoutes(GlanceCaller caller, ImageApi images)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPut("/v2/images/{id}/file", UploadAsync);
        app.MapGet("/v2/images/{id}/file", DownloadAsync);
    }

    private async Task UploadAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        RequireOctetStream(context);
        await images.UploadAsync(ctx, ImagesRoutes.Id(context), context.Request.Body, context.Request.ContentLength, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Image data (upload and stage) is <c>application/octet-stream</c>; anything else 415.</summary>
    internal static void RequireOctetStream(HttpContext context)
    {
        var type = context.Request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(type, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException($"Unsupported Content-Type '{type}': image data is application/octet-stream.", StatusCodes.Status415UnsupportedMediaType);
        }
    }

    private async Task DownloadAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var ct = context.RequestAborted;
        var image = await images.GetDownloadableAsync(ctx, ImagesRoutes.Id(context), ct).ConfigureAwait(false);
        var size = image.Size ?? 0;
        var response = context.Response;
        ByteRange? range = null;
        if (image.Location is not null && ByteRange.TryParse(context.Request.Headers.Range, size, out range) && range is null)
        {
            response.Headers.ContentRange = $"bytes */{size}";
            throw new BadHttpRequestException($"Requested range is not satisfiable: the image has {size} bytes.", StatusCodes.Status416RangeNotSatisfiable);
        }
        var data = await images.OpenDataAsync(image, range?.Start ?? 0, range?.Length, ct).ConfigureAwait(false);
        if (data is null)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        await using (data.ConfigureAwait(false))
        {
            response.ContentType = "application/octet-stream";
            if (range is null)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentLength = size;
                if (image.Checksum is { } md5)
                {
                    response.Headers["Content-MD5"] = md5;
                }
            }
            else
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.ContentLength = range.Length;
                response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.Start}-{range.End}/{size}");
            }
            await data.CopyToAsync(response.Body, 1 << 20, ct).ConfigureAwait(false);
        }
    }
}
