using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Compute.Images;
using Cloud.Modules.Kernel.DiskImages;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// nova's image cache: each image a host needs is fetched once into <c>instances_path/_base/&lt;sha1 of the image id&gt;</c>
/// and shared by every instance booted from it. Concurrent spawns of one image wait for one download (a lock per image);
/// the download goes to a temporary file renamed into place, so a half-written base is never used.
/// <para>
/// A cached file is never handed out on the cache's word alone: every use first asks glance, as the instance's owner,
/// whether the image is there for them (another project's private image that once ran on this host is not), and takes
/// the disk format from glance's answer. Every file is inspected (<see cref="ImageInspector"/>) as that format before it
/// is used, and a download that fails inspection never enters the cache; nor does a disk larger than the storage the
/// host's instances live on, which no instance here could ever use (a small file may declare petabytes).
/// </para>
/// </summary>
public sealed class BaseImageCache(string instancesPath, IImageFetcher fetcher)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public string Directory { get; } = Path.Combine(instancesPath, "_base");

    public string PathOf(string imageId) => Path.Combine(Directory, Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(imageId))));

    /// <summary>
    /// The cached copy of the image, fetched on behalf of <paramref name="owner"/> if this host has none yet, with its
    /// format and virtual size. Throws glance's "not found" when the owner may not use the image, and
    /// <see cref="ImageUnacceptableException"/> when its data is not what glance declares or names other files.
    /// </summary>
    public async Task<CachedBaseImage> EnsureAsync(string imageId, InstanceSpec owner, CancellationToken cancellationToken)
    {
        var path = PathOf(imageId);
        if (File.Exists(path))
        {
            return await CachedAsync(imageId, path, owner, cancellationToken).ConfigureAwait(false);
        }
        var gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(path))
            {
                return await CachedAsync(imageId, path, owner, cancellationToken).ConfigureAwait(false);
            }
            System.IO.Directory.CreateDirectory(Directory);
            var temp = $"{path}.part-{Guid.NewGuid():N}";
            try
            {
                var diskFormat = await fetcher.FetchAsync(imageId, owner, temp, cancellationToken).ConfigureAwait(false);
                var image = await InspectAsync(imageId, temp, diskFormat, cancellationToken).ConfigureAwait(false);
                File.Move(temp, path);
                return new CachedBaseImage(path, image.Format, image.VirtualSize);
            }
            finally
            {
                File.Delete(temp);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CachedBaseImage> CachedAsync(string imageId, string path, InstanceSpec owner, CancellationToken cancellationToken)
    {
        var diskFormat = await fetcher.DescribeAsync(imageId, owner, cancellationToken).ConfigureAwait(false);
        var image = await InspectAsync(imageId, path, diskFormat, cancellationToken).ConfigureAwait(false);
        return new CachedBaseImage(path, image.Format, image.VirtualSize);
    }

    private async Task<InspectedImage> InspectAsync(string imageId, string path, string diskFormat, CancellationToken cancellationToken)
    {
        var image = await ImageInspector.InspectAsync(imageId, path, diskFormat, cancellationToken).ConfigureAwait(false);
        ImageInspector.CheckFits(imageId, image.VirtualSize, new DriveInfo(Directory).TotalSize, "host's instance storage");
        return image;
    }
}
