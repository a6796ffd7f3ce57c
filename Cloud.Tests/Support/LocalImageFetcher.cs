using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Images;

namespace Cloud.Tests.Support;

/// <summary>
/// A TEST DOUBLE for glance: "fetches" images by copying local files (the test image's vmlinuz, initrd.img,
/// rootfs.qcow2), so the libvirt driver can be tested against the real libvirtd without an image service.
/// </summary>
public sealed class LocalImageFetcher(IReadOnlyDictionary<string, (string Path, string Format)> images) : IImageFetcher
{
    private int _fetches;

    /// <summary>How many copies were made (the base image cache fetches each image once per host).</summary>
    public int Fetches => _fetches;

    public async Task<string> FetchAsync(string imageId, InstanceSpec owner, string destination, CancellationToken cancellationToken)
    {
        var image = Find(imageId);
        Interlocked.Increment(ref _fetches);
        var source = File.OpenRead(image.Path);
        await using (source.ConfigureAwait(false))
        {
            var target = File.Create(destination);
            await using (target.ConfigureAwait(false))
            {
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }
        }
        return image.Format;
    }

    public Task<string> DescribeAsync(string imageId, InstanceSpec owner, CancellationToken cancellationToken) => Task.FromResult(Find(imageId).Format);

    private (string Path, string Format) Find(string imageId) =>
        images.TryGetValue(imageId, out var image) ? image : throw new InvalidOperationException($"Image {imageId} not found in glance");
}
