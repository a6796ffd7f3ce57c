namespace Cloud.Modules.Volume;

/// <summary>The keys of a volume's image metadata (<see cref="VolumeInfo.ImageMetadata"/>, Cinder's volume_image_metadata).</summary>
public static class VolumeImageKeys
{
    public const string ImageId = "image_id";
    public const string ImageName = "image_name";
    public const string KernelId = "kernel_id";
    public const string RamdiskId = "ramdisk_id";
    public const string DiskFormat = "disk_format";
    public const string ContainerFormat = "container_format";
    public const string MinDisk = "min_disk";
    public const string MinRam = "min_ram";
    public const string Size = "size";
    public const string Checksum = "checksum";
}
