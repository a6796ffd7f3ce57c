namespace Cloud.Modules.Kernel.DiskImages;

/// <summary>
/// nova's ImageUnacceptable: an image a tenant supplied is refused before any hypervisor sees it (a backing or data
/// file, a format other than the declared one, a disk larger than the flavor's). The message names only the image
/// and the reason, so the compute manager can put it into the instance's fault as it is; what the tools said is
/// kept in <see cref="Exception.InnerException"/> for the operator's log.
/// </summary>
public sealed class ImageUnacceptableException(string imageId, string reason, Exception? inner = null)
    : Exception($"Image {imageId} is unacceptable: {reason}", inner)
{
    public string ImageId { get; } = imageId;

    public string Reason { get; } = reason;
}
