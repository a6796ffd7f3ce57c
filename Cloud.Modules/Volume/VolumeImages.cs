using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume.Db;

namespace Cloud.Modules.Volume;

/// <summary>
/// The API side of volumes made from images (Cinder's create flow): the image must be one the caller's project may see
/// (another project's private image is not found) and active, and fit the volume: its data, its virtual size (when glance
/// knows it) and its min_disk within the size asked for; no size asked = the least that fits. The volume host checks the
/// bytes themselves again (<see cref="VolumeImageWriter"/>): glance's record is what the uploader said.
/// </summary>
public sealed class VolumeImages(ImageApi images, VolumeImageStore store)
{
    private const long GiB = 1L << 30;

    /// <summary>The size the volume gets (<paramref name="sizeGb"/>, or the image's when null), once the image is found fit; else 404/400 with Cinder's message.</summary>
    public async Task<long?> CheckAsync(RequestContext context, string imageRef, long? sizeGb, CancellationToken cancellationToken)
    {
        Image image;
        try
        {
            image = await images.GetAsync(context, imageRef, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            throw CloudException.NotFound($"Image {imageRef} could not be found.");
        }
        if (image.Status != ImageStatus.Active)
        {
            throw CloudException.Invalid($"Invalid input received: Image {imageRef} is not active.");
        }
        var dataGb = CeilGb(image.Size ?? 0);
        var virtualGb = CeilGb(image.VirtualSize ?? 0);
        var size = sizeGb ?? Math.Max(Math.Max(dataGb, virtualGb), Math.Max(image.MinDisk, 1));
        if (size < 1)
        {
            return size; // VolumeInput.CheckSize refuses it with Cinder's message.
        }
        if (dataGb > size)
        {
            throw CloudException.Invalid($"Invalid input received: Size of specified image {dataGb}GB is larger than volume size {size}GB.");
        }
        if (virtualGb > size)
        {
            throw CloudException.Invalid($"Image {imageRef} is unacceptable: Image virtual size is {virtualGb}GB and doesn't fit in a volume of size {size}GB.");
        }
        if (size < image.MinDisk)
        {
            throw CloudException.Invalid($"Invalid input received: Volume size {size}GB cannot be smaller than the image minDisk size {image.MinDisk}GB.");
        }
        return size;
    }

    /// <summary>The image metadata of each volume that has some, by volume id.</summary>
    public Task<IReadOnlyDictionary<long, IReadOnlyDictionary<string, string>>> OfAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        store.OfAsync(ids, cancellationToken);

    private static long CeilGb(long bytes) => (bytes + GiB - 1) / GiB;
}
