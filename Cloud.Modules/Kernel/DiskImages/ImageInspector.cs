using System.Globalization;

namespace Cloud.Modules.Kernel.DiskImages;

/// <summary>
/// Decides whether a tenant's image may become a disk on this host (nova's fix for images that read host files,
/// OSSA-2024-001 and its kin). The image must be what glance says it is (<c>disk_format</c>): our own reading of its
/// header (<see cref="DiskImageHeader"/>) and qemu-img told that format must both agree; it may name no backing file
/// and no external data file; only raw (with glance's ami, aki, ari) and qcow2 are accepted. Everything refused is an
/// <see cref="ImageUnacceptableException"/> whose message is fit for the tenant.
/// </summary>
public static class ImageInspector
{
    /// <summary>The qemu format a glance <c>disk_format</c> stands for; null for a format this driver does not boot.</summary>
    public static string? QemuFormatOf(string diskFormat) => diskFormat switch
    {
        "raw" or "ami" or "aki" or "ari" => "raw",
        "qcow2" => "qcow2",
        _ => null,
    };

    /// <summary>Inspects the image file at <paramref name="path"/>, declared by glance as <paramref name="diskFormat"/>.</summary>
    public static async Task<InspectedImage> InspectAsync(string imageId, string path, string diskFormat, CancellationToken cancellationToken)
    {
        var format = QemuFormatOf(diskFormat) ?? throw new ImageUnacceptableException(imageId, $"disk format {diskFormat} is not supported (use raw or qcow2)");
        Check(imageId, diskFormat, format, await DiskImageHeader.ReadAsync(path, cancellationToken).ConfigureAwait(false));
        QemuImgInfo info;
        try
        {
            info = await QemuImg.InfoAsync(path, format, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ImageUnacceptableException(imageId, $"it is not a valid {diskFormat} image", e);
        }
        return Check(imageId, diskFormat, format, info);
    }

    /// <summary>What our reading of the header says must match the declared format and name no other file.</summary>
    public static void Check(string imageId, string diskFormat, string format, DiskImageHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Format != format)
        {
            throw new ImageUnacceptableException(imageId, $"format mismatch: declared {diskFormat}, data is {header.Format}");
        }
        if (header.HasBackingFile)
        {
            throw new ImageUnacceptableException(imageId, "backing file not allowed");
        }
        if (header.HasDataFile)
        {
            throw new ImageUnacceptableException(imageId, "external data file not allowed");
        }
    }

    /// <summary>What qemu-img says must agree: the same format, no backing or data file, a sane size.</summary>
    public static InspectedImage Check(string imageId, string diskFormat, string format, QemuImgInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.Format != format)
        {
            throw new ImageUnacceptableException(imageId, $"format mismatch: declared {diskFormat}, data is {info.Format}");
        }
        if (info.BackingFile is not null)
        {
            throw new ImageUnacceptableException(imageId, "backing file not allowed");
        }
        if (info.DataFile is not null)
        {
            throw new ImageUnacceptableException(imageId, "external data file not allowed");
        }
        if (info.VirtualSize <= 0)
        {
            throw new ImageUnacceptableException(imageId, "it has no virtual size");
        }
        return new InspectedImage(format, info.VirtualSize);
    }

    /// <summary>
    /// A disk whose virtual size is more than <paramref name="limitBytes"/> (the flavor's root disk, or the host's disk
    /// when the flavor leaves the size to the image) is refused: a small file may declare petabytes.
    /// </summary>
    public static void CheckFits(string imageId, long virtualSize, long limitBytes, string limitName)
    {
        if (virtualSize > limitBytes)
        {
            throw new ImageUnacceptableException(imageId,
                $"its virtual size of {GiB(virtualSize)} GiB is more than the {limitName} of {GiB(limitBytes)} GiB");
        }
    }

    private static string GiB(long bytes) => (bytes / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture);
}
