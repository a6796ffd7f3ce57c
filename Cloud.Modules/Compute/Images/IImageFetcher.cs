using Cloud.Modules.Compute.Drivers;

namespace Cloud.Modules.Compute.Images;

/// <summary>
/// Where a compute host gets the bytes of a machine, kernel or ramdisk image (nova's image service client).
/// The real one is <see cref="GlanceImageFetcher"/>; the base image cache calls it once per image and host.
/// </summary>
public interface IImageFetcher
{
    /// <summary>
    /// Writes image <paramref name="imageId"/> to <paramref name="destination"/> on behalf of the instance's owner, checking
    /// its checksum, and returns its disk format (ami, aki, ari, qcow2, raw, ...). A missing image throws
    /// "Image &lt;id&gt; not found in glance".
    /// </summary>
    Task<string> FetchAsync(string imageId, InstanceSpec owner, string destination, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the image service, on behalf of the instance's owner, whether image <paramref name="imageId"/> is there for
    /// them (visible to their project and active) and returns its disk format, without its data: the base image cache
    /// asks before every use of a file it already holds. An image the owner may not see throws
    /// "Image &lt;id&gt; not found in glance", as a missing one does.
    /// </summary>
    Task<string> DescribeAsync(string imageId, InstanceSpec owner, CancellationToken cancellationToken);
}
