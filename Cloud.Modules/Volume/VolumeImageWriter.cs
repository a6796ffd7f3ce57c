using System.Globalization;
using Cloud.Modules.Glance;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume.Db;
using Cloud.Modules.Volume.Drivers;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Volume;

/// <summary>
/// The volume host's half of a volume made from an image (Cinder's copy_image_to_volume): the volume's image_id (written
/// by the API with the row) names the image; it is downloaded as the image reader on behalf of the volume's owner into
/// <c>$state_path/conversion</c>, written into the new volume's backing store (<see cref="VolumeImageCopier"/>), and the
/// volume keeps the image's metadata and becomes bootable. Runs while the volume is still creating: any failure leaves the
/// manager to undo the volume and set it to error with the reason; the downloaded file never stays.
/// </summary>
public sealed class VolumeImageWriter(VolumeImageStore store, VolumeStore volumes, ImageDownloadApi glance, IOptions<CommonFlags> common)
{
    /// <summary>Writes the volume's image into <paramref name="path"/> when it was made from one; false when it was not.</summary>
    public async Task<bool> WriteAsync(VolumeRow row, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var kept = (await store.OfAsync([row.Id], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(row.Id);
        if (kept?.GetValueOrDefault(VolumeImageKeys.ImageId) is not { } imageId)
        {
            return false;
        }
        var directory = Directory.CreateDirectory(Path.Combine(common.Value.StatePath, "conversion"));
        var download = Path.Combine(directory.FullName, $"{row.Uuid}.image");
        try
        {
            var image = await glance.DownloadAsync(imageId, new ImageOwner(row.UserId, row.ProjectId), download, cancellationToken).ConfigureAwait(false);
            await VolumeImageCopier.CopyAsync(imageId, download, image.DiskFormat, path, row.SizeGb, cancellationToken).ConfigureAwait(false);
            await store.SetAsync(row.Id, MetadataOf(image), cancellationToken).ConfigureAwait(false);
            await volumes.SetBootableAsync(row.Id, true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            File.Delete(download);
        }
    }

    /// <summary>What the volume keeps of the image (Cinder's volume_glance_metadata keys).</summary>
    private static Dictionary<string, string> MetadataOf(ImageRecord image)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [VolumeImageKeys.ImageId] = image.Id,
            [VolumeImageKeys.DiskFormat] = image.DiskFormat,
            [VolumeImageKeys.MinDisk] = image.MinDisk.ToString(CultureInfo.InvariantCulture),
            [VolumeImageKeys.MinRam] = image.MinRam.ToString(CultureInfo.InvariantCulture),
        };
        Add(metadata, VolumeImageKeys.ImageName, image.Name);
        Add(metadata, VolumeImageKeys.ContainerFormat, image.ContainerFormat);
        Add(metadata, VolumeImageKeys.KernelId, image.KernelId);
        Add(metadata, VolumeImageKeys.RamdiskId, image.RamdiskId);
        Add(metadata, VolumeImageKeys.Checksum, image.Checksum);
        Add(metadata, VolumeImageKeys.Size, image.Size?.ToString(CultureInfo.InvariantCulture));
        return metadata;
    }

    private static void Add(Dictionary<string, string> metadata, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            metadata[key] = value.Length > 255 ? value[..255] : value;
        }
    }
}
