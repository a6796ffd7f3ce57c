using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Glance;

namespace Cloud.Modules.Compute.Images;

/// <summary>The compute host's <see cref="IImageFetcher"/>: glance's <see cref="ImageDownloadApi"/>, reading for the instance's owner.</summary>
public sealed class GlanceImageFetcher(ImageDownloadApi glance) : IImageFetcher
{
    public async Task<string> FetchAsync(string imageId, InstanceSpec owner, string destination, CancellationToken cancellationToken) =>
        (await glance.DownloadAsync(imageId, OwnerOf(owner), destination, cancellationToken).ConfigureAwait(false)).DiskFormat;

    public async Task<string> DescribeAsync(string imageId, InstanceSpec owner, CancellationToken cancellationToken) =>
        (await glance.DescribeAsync(imageId, OwnerOf(owner), cancellationToken).ConfigureAwait(false)).DiskFormat;

    private static ImageOwner OwnerOf(InstanceSpec owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new ImageOwner(owner.UserId, owner.ProjectId);
    }
}
