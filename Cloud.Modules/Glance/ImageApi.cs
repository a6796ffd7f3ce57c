using Cloud.Modules.Glance.Cache;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Glance;

/// <summary>
/// The image service in-process (glance's API layer over registry and store): what moves data as well as records.
/// Uploads stream through <see cref="HashingUploadStream"/> into the store (queued → saving → active, or killed with
/// nothing stored); whole downloads come from the file store's file in place, or from the image cache, or from a remote
/// store through the cache's tee; deletes remove the record, then the data and any cached copy.
/// </summary>
public sealed partial class ImageApi(ImageRegistry registry, IImageStore store, ImageCache cache, GlanceQuotas quotas, IOptions<GlanceFlags> flags, ILogger<ImageApi> log)
{
    /// <summary>The image, when the caller may see it (glance's visibility rules); else not found.</summary>
    public Task<Image> GetAsync(RequestContext context, string id, CancellationToken cancellationToken) =>
        registry.GetAsync(context, id, cancellationToken);

    /// <summary>One page of the images the caller may see.</summary>
    public Task<ImagePage> ListAsync(RequestContext context, ImageQuery query, CancellationToken cancellationToken) =>
        registry.ListAsync(context, query, cancellationToken);

    /// <summary>Registers a new image (queued) once its owner's image count quota allows one more (else 413).</summary>
    public async Task<Image> CreateAsync(RequestContext context, ImageDraft draft, string? id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(context);
        if ((draft.Owner ?? context.ProjectId) is { } owner)
        {
            await quotas.CheckImageCountAsync(owner, cancellationToken).ConfigureAwait(false);
        }
        return await registry.CreateAsync(context, draft, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores the image's data; <paramref name="declaredSize"/> (if known) must match what arrives.</summary>
    public Task<Image> UploadAsync(RequestContext context, string id, Stream data, long? declaredSize, CancellationToken cancellationToken) =>
        UploadAsync(context, id, data, declaredSize, null, cancellationToken);

    /// <summary>
    /// Stores the image's data; <paramref name="declaredSize"/> and <paramref name="expectedMd5"/> (the v1 API's
    /// <c>x-image-meta-checksum</c>), when given, must match what arrives, else the image is killed and nothing kept.
    /// </summary>
    public async Task<Image> UploadAsync(RequestContext context, string id, Stream data, long? declaredSize, string? expectedMd5, CancellationToken cancellationToken)
    {
        var cap = flags.Value.ImageSizeCap;
        if (declaredSize > cap)
        {
            throw CloudException.TooLarge($"Image of {declaredSize} bytes exceeds the storage size limit of {cap} bytes.");
        }
        var image = await registry.StartUploadAsync(context, id, cancellationToken).ConfigureAwait(false);
        var remaining = image.Owner is null ? long.MaxValue : await quotas.RemainingBytesAsync(image.Owner, id, cancellationToken).ConfigureAwait(false);
        if (declaredSize > remaining)
        {
            await registry.RequeueAsync(id, CancellationToken.None).ConfigureAwait(false);
            throw GlanceQuotas.StorageQuotaFull(declaredSize.Value, remaining);
        }
        StoredImage stored;
        await using var hashing = new HashingUploadStream(data, declaredSize, Math.Min(cap, remaining));
        try
        {
            stored = await store.AddAsync(id, hashing, cancellationToken).ConfigureAwait(false);
            if (expectedMd5 is not null && !string.Equals(expectedMd5, hashing.Md5Hex, StringComparison.OrdinalIgnoreCase))
            {
                await store.DeleteAsync(stored.Location, CancellationToken.None).ConfigureAwait(false);
                throw CloudException.Invalid($"Supplied checksum ({expectedMd5}) and checksum generated from uploaded image ({hashing.Md5Hex}) did not match.");
            }
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.TooLarge && remaining < cap && hashing.Count > remaining)
        {
            // Over the owner's storage quota: the store kept nothing of the broken stream; the image may take data again.
            await registry.RequeueAsync(id, CancellationToken.None).ConfigureAwait(false);
            throw GlanceQuotas.StorageQuotaFull(declaredSize ?? hashing.Count, remaining);
        }
        catch (Exception e)
        {
            LogKilled(e, id);
            await registry.KillAsync(id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        if (!await registry.FinishUploadAsync(id, stored.Location, stored.Size, hashing.Md5Hex, hashing.Sha512Hex, CancellationToken.None).ConfigureAwait(false))
        {
            await store.DeleteAsync(stored.Location, CancellationToken.None).ConfigureAwait(false);
            throw CloudException.Conflict($"Image {id} was deleted or changed while its data was uploaded.");
        }
        return await registry.GetAsync(context, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The image if the caller may download it; a deactivated image only for admins.</summary>
    public async Task<Image> GetDownloadableAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var image = await registry.GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        if (image.Status == ImageStatus.Deactivated && !context.IsAdmin)
        {
            throw CloudException.Forbidden("The requested image has been deactivated. Image data download is forbidden.");
        }
        return image;
    }

    /// <summary>
    /// The data of an image from <see cref="GetDownloadableAsync"/>, or null when it has none yet. An image in the file
    /// store is read in place (<see cref="Streaming.LocalImageFile"/>), never through the cache: a cached copy would be a
    /// second file on a local disk, and filling it doubled the disk's writes and put an MD5 and a write on the reader's
    /// path (a first 1 GiB download ran at 202 MB/s). As glance's own file store, that read is not checked against the MD5
    /// (its Content-MD5 is sent, and cloudd's hosts check it as they fetch). Any other image is served from the cache when
    /// it holds it, else read from its store into the cache as it goes; either way its MD5 is checked.
    /// A range goes to the store directly: a part can neither fill nor be checked by the cache.
    /// </summary>
    public async Task<Stream?> OpenDataAsync(Image image, long offset, long? length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Location is not { } location || image.Status is not (ImageStatus.Active or ImageStatus.Deactivated))
        {
            return null;
        }
        if (offset != 0 || length is not null || IsOnThisNode(location))
        {
            return await store.OpenAsync(location, offset, length, cancellationToken).ConfigureAwait(false);
        }
        if (await cache.TryOpenAsync(image.Id, image.Checksum, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return cached;
        }
        return cache.OpenCaching(image.Id, image.Checksum, await store.OpenAsync(location, 0, null, cancellationToken).ConfigureAwait(false), image.Size);
    }

    /// <summary>A <c>file://</c> location: the file store's image on this node's disk.</summary>
    private static bool IsOnThisNode(string location) => location.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Deletes the image record and its data.</summary>
    public async Task DeleteAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var image = await registry.DeleteAsync(context, id, cancellationToken).ConfigureAwait(false);
        await cache.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
        if (image.Location is { } location)
        {
            try
            {
                await store.DeleteAsync(location, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or ImageStoreUnavailableException)
            {
                // The record is gone already; the data is an orphan an operator can find by the id in the log.
                LogOrphan(e, id, location);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload of image {Id} failed; image killed")]
    private partial void LogKilled(Exception error, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Image {Id} deleted but its data at {Location} could not be removed")]
    private partial void LogOrphan(Exception error, string id, string location);
}
