namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>An instance's directory under <c>--instances_path</c> (nova's layout): kernel, ramdisk, disk, console.log, libvirt.xml.</summary>
/// <param name="Directory">instances_path/instance-XXXXXXXX.</param>
public sealed record InstanceFiles(string Directory)
{
    public static InstanceFiles Of(string instancesPath, string name) => new(Path.Combine(instancesPath, name));

    public string Kernel => Path.Combine(Directory, "kernel");

    public string Ramdisk => Path.Combine(Directory, "ramdisk");

    /// <summary>The root disk: a qcow2 overlay whose backing file is the cached machine image.</summary>
    public string Disk => Path.Combine(Directory, "disk");

    /// <summary>The config drive (nova's disk.config): an ISO9660 image labelled config-2.</summary>
    public string ConfigDrive => Path.Combine(Directory, "disk.config");

    /// <summary>The serial console's output (root 0600, written by QEMU).</summary>
    public string ConsoleLog => Path.Combine(Directory, "console.log");

    /// <summary>The rescue system's disk (nova's disk.rescue): a qcow2 overlay of the rescue image, while rescued.</summary>
    public string RescueDisk => Path.Combine(Directory, "disk.rescue");

    /// <summary>The domain's definition from before its rescue (nova's unrescue.xml), while rescued.</summary>
    public string UnrescueXml => Path.Combine(Directory, "unrescue.xml");

    /// <summary>The domain XML as defined, for the operator.</summary>
    public string DomainXml => Path.Combine(Directory, "libvirt.xml");
}
