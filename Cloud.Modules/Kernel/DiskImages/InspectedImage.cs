namespace Cloud.Modules.Kernel.DiskImages;

/// <summary>An image <see cref="ImageInspector"/> accepted.</summary>
/// <param name="Format">qemu's format of its data (raw or qcow2): what the overlay's <c>-F</c> says.</param>
/// <param name="VirtualSize">The disk's size in bytes as the guest would see it.</param>
public sealed record InspectedImage(string Format, long VirtualSize);
