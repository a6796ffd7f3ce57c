using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Glance.Cache;

/// <summary>The prefetcher's source on a glance node: the registry's checksum and location, the stores' data.</summary>
public sealed class StoreImageSource(ImageRegistry registry, IImageStore store) : IImageSource
{
    public async Task<ImageSourceData> OpenAsync(string imageId, CancellationToken ct)
    {
        // The prefetcher acts for the operator who queued the image, so it sees every image.
        var context = RequestContext.Service() with { UserId = "glance-cache-prefetcher" };
        var image = await registry.GetAsync(context, imageId, ct).ConfigureAwait(false);
        if (image.Location is not { } location || image.Status is not (ImageStatus.Active or ImageStatus.Deactivated))
        {
            // Not NotFound: the image may still get its data, so it stays queued.
            throw CloudException.Conflict($"Image {imageId} has no data to cache while it is {image.Status}.");
        }
        return new ImageSourceData(image.Checksum, await store.OpenAsync(location, 0, null, ct).ConfigureAwait(false));
    }
}
