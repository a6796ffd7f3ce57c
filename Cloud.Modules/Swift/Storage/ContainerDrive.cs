using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Storage;

/// <summary>Finds a device directory like swift's check_drive: a plain name under the devices directory, mounted if asked.</summary>
internal static class ContainerDrive
{
    /// <summary>The device's directory; 507 Insufficient Storage when it is missing or not mounted.</summary>
    public static string Resolve(SwiftStorageFlags flags, string device)
    {
        if (device is "." or ".." || device.Contains('/', StringComparison.Ordinal) || device.Contains('\\', StringComparison.Ordinal))
        {
            throw new ContainerHttpException(StatusCodes.Status400BadRequest, $"Invalid device: {device}");
        }
        var root = Path.Combine(flags.SwiftDevices, device);
        var usable = Directory.Exists(root) && (!flags.SwiftMountCheck || MountPoints.IsMountPoint(root));
        if (!usable)
        {
            throw new ContainerHttpException(StatusCodes.Status507InsufficientStorage, $"{device} is not mounted");
        }
        return root;
    }
}
