using System.Xml.Linq;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// Builds an instance's libvirt domain XML (nova's libvirt.xml.template): TCG or KVM, direct kernel boot when
/// the instance has a kernel, its qcow2 overlay as virtio vda (or its root volume, booted from a volume), its volumes
/// as iSCSI network disks (<see cref="VolumeDiskXml"/>), a bridged virtio NIC, the serial console into
/// console.log, ACPI for clean shutdown, no balloon; power off and crash end the domain, reboot restarts it.
/// </summary>
public static class DomainXml
{
    /// <summary>The guest architecture every domain is defined with.</summary>
    public const string Arch = "x86_64";

    /// <summary>The machine type every domain is defined with.</summary>
    public const string Machine = "pc";

    /// <summary>The domain XML of <paramref name="instance"/> whose files are in <paramref name="files"/>.</summary>
    /// <param name="instance">The instance: with a kernel image it boots that kernel (and its ramdisk) directly, else from its disk.</param>
    /// <param name="files">Its files.</param>
    /// <param name="domainType"><c>qemu</c> (TCG) or <c>kvm</c>.</param>
    /// <param name="cmdline">The kernel command line for direct kernel boot.</param>
    /// <param name="configDrive">Attach <see cref="InstanceFiles.ConfigDrive"/> as a read-only IDE cdrom (as nova's libvirt driver did).</param>
    public static string Build(InstanceSpec instance, InstanceFiles files, string domainType, string cmdline, bool configDrive = false)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(files);
        var os = new XElement("os", new XElement("type", new XAttribute("arch", Arch), new XAttribute("machine", Machine), "hvm"));
        if (instance.KernelId is not null)
        {
            os.Add(new XElement("kernel", files.Kernel));
            if (instance.RamdiskId is not null)
            {
                os.Add(new XElement("initrd", files.Ramdisk));
            }
            os.Add(new XElement("cmdline", cmdline));
        }
        else
        {
            os.Add(new XElement("boot", new XAttribute("dev", "hd")));
        }
        var devices = new XElement("devices");
        if (instance.RootVolume is null)
        {
            devices.Add(new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
                new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "qcow2"), new XAttribute("cache", "none")),
                new XElement("source", new XAttribute("file", files.Disk)),
                new XElement("target", new XAttribute("dev", "vda"), new XAttribute("bus", "virtio"))));
        }
        // The root volume first, so it is the disk the BIOS boots; then the data volumes in device order.
        foreach (var volume in (instance.Volumes ?? []).OrderBy(v => !v.IsRoot).ThenBy(v => v.TargetDev, StringComparer.Ordinal))
        {
            devices.Add(VolumeDiskXml.Disk(volume));
        }
        if (configDrive)
        {
            devices.Add(new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "cdrom"),
                new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "raw")),
                new XElement("source", new XAttribute("file", files.ConfigDrive)),
                new XElement("target", new XAttribute("dev", "hdd"), new XAttribute("bus", "ide")),
                new XElement("readonly")));
        }
        if (instance.Network is { } nic)
        {
            devices.Add(new XElement("interface", new XAttribute("type", "bridge"),
                new XElement("mac", new XAttribute("address", nic.Mac)),
                new XElement("source", new XAttribute("bridge", nic.Bridge)),
                new XElement("target", new XAttribute("dev", TapName(instance.Uuid))),
                new XElement("model", new XAttribute("type", "virtio"))));
        }
        devices.Add(
            new XElement("serial", new XAttribute("type", "file"),
                new XElement("source", new XAttribute("path", files.ConsoleLog), new XAttribute("append", "off")),
                new XElement("target", new XAttribute("port", "0"))),
            new XElement("memballoon", new XAttribute("model", "none")));
        var domain = new XElement("domain", new XAttribute("type", domainType),
            new XElement("name", instance.Name),
            new XElement("uuid", instance.Uuid),
            new XElement("memory", new XAttribute("unit", "MiB"), instance.MemoryMb),
            new XElement("vcpu", instance.Vcpus),
            os,
            new XElement("features", new XElement("acpi")),
            new XElement("on_poweroff", "destroy"),
            new XElement("on_reboot", "restart"),
            new XElement("on_crash", "destroy"),
            devices);
        return domain.ToString();
    }

    /// <summary>The host side of the instance's NIC: <c>tap</c> and the first 12 hex digits of its UUID (15 chars, IFNAMSIZ - 1).</summary>
    public static string TapName(string uuid) => "tap" + uuid.Replace("-", "", StringComparison.Ordinal)[..12];
}
