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
/// nothing stored); downloads open the store; deletes remove the record, then the data.
/// </summary>
public sealed partial class ImageApi(ImageRegistry registry, IImageStore store, IOptions<GlanceFlags> flags, ILogger<ImageApi> log)
{
    public ImageRegistry Registry => registry;

    /// <summary>Stores the image's data; <paramref name="declaredSize"/> (if known) must match what arrives.</summary>
    public async Task<Image> UploadAsync(RequestContext context, string id, Stream data, long? declaredSize, CancellationToken cancellationToken)
    {
        var cap = flags.Value.ImageSizeCap;
        if (declaredSize > cap)
        {
            throw CloudException.TooLarge($"Image of {declaredSize} bytes exceeds the storage size limit of {cap} bytes.");
        }
        await registry.StartUploadAsync(context, id, cancellationToken).ConfigureAwait(false);
        StoredImage stored;
        await using var hashing = new HashingUploadStream(data, declaredSize, cap);
        try
        {
            stored = await store.AddAsync(id, hashing, cancellationToken).ConfigureAwait(false);
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
            throw CloudException.Forbidden($"Image {id} is deactivated: its data cannot be downloaded.");
        }
        return image;
    }

    /// <summary>The data of an image from <see cref="GetDownloadableAsync"/>, or null when it has none yet.</summary>
    public async Task<Stream?> OpenDataAsync(Image image, long offset, long? length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Location is { } location && image.Status is ImageStatus.Active or ImageStatus.Deactivated
            ? await store.OpenAsync(location, offset, length, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>Deletes the image record and its data.</summary>
    public async Task DeleteAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        var image = await registry.DeleteAsync(context, id, cancellationToken).ConfigureAwait(false);
        if (image.Location is { } location)
        {
            try
            {
                await store.DeleteAsync(location, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException)
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
