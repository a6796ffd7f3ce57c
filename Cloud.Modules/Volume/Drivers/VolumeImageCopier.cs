using Cloud.Modules.Kernel.DiskImages;

namespace Cloud.Modules.Volume.Drivers;

/// <summary>
/// Writes a downloaded image into a volume's backing store (a file of the file driver, a logical volume of LVM): the
/// image is first inspected as compute inspects it (<see cref="ImageInspector"/>: the declared format, no backing file,
/// no external data file, a virtual size that fits the volume), then <c>qemu-img convert -O raw -n</c> writes its disk
/// into the existing target, so a qcow2 becomes the raw bytes the guest reads. Host I/O only; it never touches the database.
/// </summary>
public static class VolumeImageCopier
{
    /// <summary>Copies <paramref name="imageFile"/> (glance's <paramref name="diskFormat"/>) into <paramref name="volumePath"/> of <paramref name="volumeSizeGb"/> GiB.</summary>
    /// <exception cref="ImageUnacceptableException">The image may not become this volume; its message is fit for the tenant.</exception>
    public static async Task CopyAsync(string imageId, string imageFile, string diskFormat, string volumePath, long volumeSizeGb, CancellationToken cancellationToken)
    {
        var inspected = await ImageInspector.InspectAsync(imageId, imageFile, diskFormat, cancellationToken).ConfigureAwait(false);
        ImageInspector.CheckFits(imageId, inspected.VirtualSize, volumeSizeGb << 30, "volume's size");
        await QemuImg.ConvertToExistingRawAsync(imageFile, inspected.Format, volumePath, cancellationToken).ConfigureAwait(false);
    }
}
