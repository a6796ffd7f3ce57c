namespace Cloud.Modules.Swift.Storage;

/// <summary>The device directories under <c>swift_devices</c> a daemon may work on: every one, ring or not, mounted if asked.</summary>
internal static class StorageDevices
{
    public static IEnumerable<string> All(SwiftStorageFlags flags) =>
        Directory.Exists(flags.SwiftDevices)
            ? Directory.GetDirectories(flags.SwiftDevices).Order(StringComparer.Ordinal).Where(d => !flags.SwiftMountCheck || MountPoints.IsMountPoint(d))
            : [];
}
