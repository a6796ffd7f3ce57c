using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Api;

/// <summary>Every glance image a caller may see (glance's visibility rules), read page by page, for the compute APIs' image views.</summary>
public static class VisibleImages
{
    public static async Task<IReadOnlyList<Image>> ListAsync(ImageApi images, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        var all = new List<Image>();
        string? marker = null;
        do
        {
            var page = await images.ListAsync(context, new ImageQuery { Limit = ImageQuery.MaxLimit, Marker = marker }, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Images);
            marker = page.NextMarker;
        }
        while (marker is not null);
        return all;
    }
}
