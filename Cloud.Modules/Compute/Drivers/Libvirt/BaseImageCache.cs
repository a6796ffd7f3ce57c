using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cloud.Modules.Compute.Images;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// nova's image cache: each image a host needs is fetched once into <c>instances_path/_base/&lt;sha1 of the image id&gt;</c>
/// and shared by every instance booted from it. Concurrent spawns of one image wait for one download (a lock per image);
/// the download goes to a temporary file renamed into place, so a half-written base is never used.
/// </summary>
public sealed class BaseImageCache(string instancesPath, IImageFetcher fetcher)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public string Directory { get; } = Path.Combine(instancesPath, "_base");

    public string PathOf(string imageId) => Path.Combine(Directory, Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(imageId))));

    /// <summary>The cached copy of the image, fetched on behalf of <paramref name="owner"/> if this host has none yet.</summary>
    public async Task<string> EnsureAsync(string imageId, InstanceSpec owner, CancellationToken cancellationToken)
    {
        var path = PathOf(imageId);
        if (File.Exists(path))
        {
            return path;
        }
        var gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(path))
            {
                return path;
            }
            System.IO.Directory.CreateDirectory(Directory);
            var temp = $"{path}.part-{Guid.NewGuid():N}";
            try
            {
                await fetcher.FetchAsync(imageId, owner, temp, cancellationToken).ConfigureAwait(false);
                File.Move(temp, path);
            }
            finally
            {
                File.Delete(temp);
            }
            return path;
        }
        finally
        {
            gate.Release();
        }
    }
}
