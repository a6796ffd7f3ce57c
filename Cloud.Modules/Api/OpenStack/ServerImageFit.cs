using Cloud.Modules.Compute;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// nova's check that a flavor can hold an image (compute.API._validate_flavor_image_nostatus): RAM at least the
/// image's min_ram, and a non-zero root disk at least the image's size and min_disk; each refusal is nova's 400.
/// </summary>
public static class ServerImageFit
{
    private const long GiB = 1024L * 1024 * 1024;

    public static void Check(Flavor flavor, Image image)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        ArgumentNullException.ThrowIfNull(image);
        if (flavor.MemoryMb < image.MinRam)
        {
            throw CloudException.Invalid("Flavor's memory is too small for requested image.");
        }
        var disk = flavor.RootGb * GiB;
        if (disk == 0)
        {
            return;
        }
        if (image.Size is { } size && size > disk)
        {
            throw CloudException.Invalid($"Flavor's disk is too small for requested image. Flavor disk is {disk} bytes, image is {size} bytes.");
        }
        if (image.MinDisk * GiB > disk)
        {
            throw CloudException.Invalid($"Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is {disk} bytes, minimum size is {image.MinDisk * GiB} bytes.");
        }
    }
}
