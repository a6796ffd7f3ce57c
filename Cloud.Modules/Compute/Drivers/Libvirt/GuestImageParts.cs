namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// The cached images a guest boots from: its disk (none when it boots from a volume), and the kernel and ramdisk when
/// its image names them (ami with aki and ari). <see cref="EnsureAsync"/> gets them from the host's cache, fetching the
/// missing ones from glance concurrently: a cold boot of the test image waited for three downloads one after the other.
/// </summary>
public sealed record GuestImageParts(CachedBaseImage? Disk, CachedBaseImage? Kernel, CachedBaseImage? Ramdisk)
{
    /// <summary>
    /// All parts of <paramref name="instance"/>'s image, each fetched at most once into <paramref name="cache"/>. When one
    /// fails (not found, a checksum glance disagrees with, an image that fails inspection), the others are still waited
    /// for, so nothing keeps writing into <c>_base</c> after the boot failed; the first failure is thrown, and the failed
    /// part left nothing in the cache.
    /// </summary>
    public static async Task<GuestImageParts> EnsureAsync(BaseImageCache cache, InstanceSpec instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(instance);
        var disk = Optional(cache, instance.RootVolume is null ? instance.ImageRef : null, instance, cancellationToken);
        var kernel = Optional(cache, instance.KernelId, instance, cancellationToken);
        var ramdisk = Optional(cache, instance.RamdiskId, instance, cancellationToken);
        // Waits for every part; a failure is the first failing part's in the order disk, kernel, ramdisk.
        await Task.WhenAll(disk, kernel, ramdisk).ConfigureAwait(false);
        return new GuestImageParts(await disk.ConfigureAwait(false), await kernel.ConfigureAwait(false), await ramdisk.ConfigureAwait(false));
    }

    private static Task<CachedBaseImage?> Optional(BaseImageCache cache, string? imageId, InstanceSpec owner, CancellationToken cancellationToken) =>
        imageId is null ? Task.FromResult<CachedBaseImage?>(null) : EnsureOneAsync(cache, imageId, owner, cancellationToken);

    private static async Task<CachedBaseImage?> EnsureOneAsync(BaseImageCache cache, string imageId, InstanceSpec owner, CancellationToken cancellationToken) =>
        await cache.EnsureAsync(imageId, owner, cancellationToken).ConfigureAwait(false);
}
