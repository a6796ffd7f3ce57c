namespace Cloud.Modules.Glance.Cache;

/// <summary>
/// Where the prefetcher gets an image it does not have: the registry's checksum and the store's data. The image API
/// provides the real one; the cache knows nothing of registries or stores.
/// </summary>
public interface IImageSource
{
    /// <summary>The image's expected MD5 (hex, null if it has none) and its data, whole; a missing image is a NotFound CloudException.</summary>
    Task<ImageSourceData> OpenAsync(string imageId, CancellationToken ct);
}
