using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Api;

/// <summary>
/// The images a boot request names, authorized for the caller by glance's visibility rules: the machine image and
/// the kernel and ramdisk it (or the request) points to. An image the caller cannot see is answered exactly as a
/// missing one (400 "Can not find requested image"), so another project's private ids are neither usable nor probed.
/// </summary>
public static class BootImages
{
    /// <summary>The image, which must exist for the caller and be active (else 400, as nova answers).</summary>
    /// <remarks><paramref name="notFound"/>: the API's words for a missing image (nova's server create names no id); by default they name it.</remarks>
    public static async Task<Image> GetAsync(ImageApi images, RequestContext context, string id, CancellationToken cancellationToken, string? notFound = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        Image image;
        try
        {
            image = await images.GetAsync(context, id, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.NotFound)
        {
            throw CloudException.Invalid(notFound ?? $"Can not find requested image {id}.");
        }
        return image.Status == ImageStatus.Active ? image : throw CloudException.Invalid($"Image {id} is not active.");
    }

    /// <summary>
    /// The kernel and ramdisk to boot with: those given, else the machine image's <c>kernel_id</c>/<c>ramdisk_id</c>
    /// properties (which anyone may set to any id), each checked with <see cref="GetAsync"/>.
    /// </summary>
    public static async Task<(string? KernelId, string? RamdiskId)> KernelAndRamdiskAsync(
        ImageApi images, RequestContext context, Image machine, string? kernelId, string? ramdiskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        kernelId ??= machine.Properties.GetValueOrDefault("kernel_id");
        ramdiskId ??= machine.Properties.GetValueOrDefault("ramdisk_id");
        return (await VisibleIdAsync(images, context, kernelId, cancellationToken).ConfigureAwait(false),
            await VisibleIdAsync(images, context, ramdiskId, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<string?> VisibleIdAsync(ImageApi images, RequestContext context, string? id, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(id) ? null : (await GetAsync(images, context, id, cancellationToken).ConfigureAwait(false)).Id;
}
