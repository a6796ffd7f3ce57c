using Cloud.Modules.Api.Keystone;
using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Api.OpenStack;

/// <summary><c>/v2.1/images</c>: nova's read-only view of the glance images the caller sees (list, detail, show).</summary>
public sealed class NovaImagesRoutes(NovaCaller caller, ImageApi images, ServiceCatalog catalog) : INovaRoutes
{
    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2.1/images", context => ListAsync(context, detail: false));
        app.MapGet("/v2.1/images/detail", context => ListAsync(context, detail: true));
        app.MapGet("/v2.1/images/{id}", async context =>
        {
            var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
            var image = await images.GetAsync(ctx, NovaCaller.Route(context), context.RequestAborted).ConfigureAwait(false);
            await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { image = Detail(context, image) }).ConfigureAwait(false);
        });
    }

    private async Task ListAsync(HttpContext context, bool detail)
    {
        var ctx = await caller.ContextAsync(context).ConfigureAwait(false);
        var all = await VisibleImages.ListAsync(images, ctx, context.RequestAborted).ConfigureAwait(false);
        await NovaJson.WriteAsync(context, StatusCodes.Status200OK, new { images = all.Select(i => detail ? Detail(context, i) : Summary(context, i)) }).ConfigureAwait(false);
    }

    /// <summary>nova's image links: self, bookmark and the image in glance (views/images.py <c>_get_alternate_link</c>).</summary>
    private Dictionary<string, object?> Summary(HttpContext context, Image image) => new(StringComparer.Ordinal)
    {
        ["id"] = image.Id,
        ["name"] = image.Name,
        ["links"] = NovaJson.Links(context, "images", image.Id).Append(new
        {
            rel = "alternate",
            type = "application/vnd.openstack.image",
            href = $"{catalog.Entries.First(e => e.Type == "image").Url}/images/{image.Id}",
        }),
    };

    private Dictionary<string, object?> Detail(HttpContext context, Image image)
    {
        var json = Summary(context, image);
        json["status"] = image.Status switch
        {
            ImageStatus.Active => "ACTIVE",
            ImageStatus.Queued or ImageStatus.Saving => "SAVING",
            ImageStatus.Deleted or ImageStatus.PendingDelete => "DELETED",
            _ => "ERROR",
        };
        json["progress"] = image.Status == ImageStatus.Active ? 100 : 0;
        json["minDisk"] = image.MinDisk;
        json["minRam"] = image.MinRam;
        json["metadata"] = image.Properties;
        json["created"] = NovaJson.Timestamp(image.CreatedAt);
        json["updated"] = NovaJson.Timestamp(image.UpdatedAt);
        json["OS-EXT-IMG-SIZE:size"] = image.Size;
        return json;
    }
}
