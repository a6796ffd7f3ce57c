namespace Cloud.Modules.Glance;

/// <summary>What glance's v2 API says of an active image, as its owner sees it (<see cref="ImageDownloadApi"/>).</summary>
/// <param name="Id">The image's id.</param>
/// <param name="Name">Its name, if any.</param>
/// <param name="DiskFormat">ami, aki, ari, qcow2, raw, ...</param>
/// <param name="ContainerFormat">ami, aki, ari, bare, ...</param>
/// <param name="Checksum">MD5 of the data, hex; null when glance has none.</param>
/// <param name="Size">Bytes of data.</param>
/// <param name="VirtualSize">Bytes of the disk the data describes, when glance knows it.</param>
/// <param name="MinDisk">Least root disk in GiB.</param>
/// <param name="MinRam">Least memory in MiB.</param>
/// <param name="KernelId">The kernel image of an AMI-style image (property kernel_id).</param>
/// <param name="RamdiskId">The ramdisk image of an AMI-style image (property ramdisk_id).</param>
public sealed record ImageRecord(
    string Id,
    string? Name,
    string DiskFormat,
    string? ContainerFormat,
    string? Checksum,
    long? Size,
    long? VirtualSize,
    int MinDisk,
    int MinRam,
    string? KernelId,
    string? RamdiskId);
