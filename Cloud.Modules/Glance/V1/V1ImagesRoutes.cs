using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Glance.V2;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Glance.V1;

/// <summary>
/// <c>/v1/images</c> as glanceclient's <c>--os-image-api-version 1</c> speaks it: list (active images, summaries),
/// detail (filtered), HEAD (metadata headers), GET (data and headers), POST (metadata headers, data in the body,
/// chunked or not), PUT (update, data if queued), DELETE. The same registry, store and rules as v2.
/// </summary>
public sealed class V1ImagesRoutes(GlanceCaller caller, ImageApi images, ImageRegistry registry)
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v1/images", context => ListAsync(context, ImageStatus.Active, V1ImageView.Summary));
        app.MapGet("/v1/images/detail", context => ListAsync(context, null, V1ImageView.Detail));
        app.MapMethods("/v1/images/{id}", ["HEAD"], HeadAsync);
        app.MapGet("/v1/images/{id}", DownloadAsync);
        app.MapPost("/v1/images", CreateAsync);
        app.MapPut("/v1/images/{id}", UpdateAsync);
        app.MapDelete("/v1/images/{id}", DeleteAsync);
    }

    private async Task ListAsync(HttpContext context, string? defaultStatus, Func<Image, Dictionary<string, object?>> view)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var page = await registry.ListAsync(ctx, V1ListQuery.Parse(context.Request.Query, defaultStatus), context.RequestAborted).ConfigureAwait(false);
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, new { images = page.Images.Select(view) }).ConfigureAwait(false);
    }

    private async Task HeadAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var image = await registry.GetAsync(ctx, ImagesRoutes.Id(context), context.RequestAborted).ConfigureAwait(false);
        ImageMetaHeaders.Write(context.Response.Headers, image);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = image.Location is null ? 0 : image.Size;
    }

    /// <summary>The data with the metadata headers; an image without data yet answers its headers and no bytes, as v1 did.</summary>
    private async Task DownloadAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var ct = context.RequestAborted;
        var image = await images.GetDownloadableAsync(ctx, ImagesRoutes.Id(context), ct).ConfigureAwait(false);
        var data = await images.OpenDataAsync(image, 0, null, ct).ConfigureAwait(false);
        var response = context.Response;
        ImageMetaHeaders.Write(response.Headers, image);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        if (data is null)
        {
            response.ContentLength = 0;
            return;
        }
        await using (data.ConfigureAwait(false))
        {
            response.ContentLength = image.Size;
            await data.CopyToAsync(response.Body, 1 << 20, ct).ConfigureAwait(false);
        }
    }

    private async Task CreateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var meta = ImageMetaHeaders.Read(context.Request.Headers);
        var draft = new ImageDraft();
        foreach (var (attribute, value) in meta.Changes(null))
        {
            draft.Set(attribute, value);
        }
        foreach (var (key, value) in meta.Properties)
        {
            draft.Properties[key] = value;
        }
        var withData = HasBody(context.Request);
        if (withData && (draft.DiskFormat is null || draft.ContainerFormat is null))
        {
            throw CloudException.Invalid("x-image-meta-disk_format and x-image-meta-container_format must be given with image data.");
        }
        var image = await images.CreateAsync(ctx, draft, meta.Id, context.RequestAborted).ConfigureAwait(false);
        if (withData)
        {
            image = await UploadAsync(context, ctx, meta, image.Id).ConfigureAwait(false);
        }
        context.Response.Headers.Location = $"/v1/images/{image.Id}";
        await GlanceJson.WriteAsync(context, StatusCodes.Status201Created, new { image = V1ImageView.Detail(image) }).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the attributes and properties the headers name (other properties stay unless
    /// <c>x-glance-registry-purge-props: true</c>), then stores the body as the data of a queued image.
    /// </summary>
    private async Task UpdateAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var id = ImagesRoutes.Id(context);
        var meta = ImageMetaHeaders.Read(context.Request.Headers);
        var current = await registry.GetAsync(ctx, id, context.RequestAborted).ConfigureAwait(false);
        var withData = HasBody(context.Request);
        if (withData && current.Status != ImageStatus.Queued)
        {
            throw CloudException.Conflict($"Image {id} is {current.Status}: only a queued image takes data.");
        }
        var patch = meta.Changes(current).Select(c => new ImagePatch("replace", c.Attribute, c.Value))
            .Concat(meta.Properties.Select(p => new ImagePatch("add", p.Key, System.Text.Json.JsonSerializer.SerializeToElement(p.Value))))
            .ToList();
        if (string.Equals(context.Request.Headers["x-glance-registry-purge-props"], "true", StringComparison.OrdinalIgnoreCase))
        {
            patch.AddRange(current.Properties.Keys.Where(k => !meta.Properties.ContainsKey(k)).Select(k => new ImagePatch("remove", k, null)));
        }
        var image = patch.Count > 0 ? await registry.UpdateAsync(ctx, id, patch, context.RequestAborted).ConfigureAwait(false) : current;
        if (withData)
        {
            image = await UploadAsync(context, ctx, meta, id).ConfigureAwait(false);
        }
        await GlanceJson.WriteAsync(context, StatusCodes.Status200OK, new { image = V1ImageView.Detail(image) }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        await images.DeleteAsync(ctx, ImagesRoutes.Id(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    private Task<Image> UploadAsync(HttpContext context, RequestContext ctx, ImageMetaHeaders meta, string id) =>
        images.UploadAsync(ctx, id, context.Request.Body, context.Request.ContentLength ?? meta.Size, meta.Checksum, context.RequestAborted);

    /// <summary>Data comes with a Content-Length above 0 or a chunked body (glanceclient streams files chunked).</summary>
    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase));
}
