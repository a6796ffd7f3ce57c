namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>An image file in the host's cache (<see cref="BaseImageCache"/>), inspected for this use.</summary>
/// <param name="Path">The file under <c>instances_path/_base</c>.</param>
/// <param name="Format">qemu's format of its data (raw or qcow2).</param>
/// <param name="VirtualSize">Its size in bytes as a disk.</param>
public sealed record CachedBaseImage(string Path, string Format, long VirtualSize);
