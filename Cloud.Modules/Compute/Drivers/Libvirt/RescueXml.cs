using System.Xml.Linq;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// nova's legacy rescue layout: the rescue disk first (vda, the disk the guest boots), the instance's own root disk
/// second (vdb, to be repaired from the rescue system), the config drive as it was, and no volumes; everything else
/// (memory, NIC, console, direct kernel boot) as the instance is defined.
/// </summary>
public static class RescueXml
{
    /// <summary>The rescue definition of the domain defined as <paramref name="domainXml"/>, booting <paramref name="rescueDisk"/> (qcow2).</summary>
    public static string Build(string domainXml, string rescueDisk)
    {
        var domain = XElement.Parse(domainXml);
        var devices = domain.Element("devices") ?? throw new InvalidOperationException("domain XML without devices");
        var disks = devices.Elements("disk").Where(d => (string?)d.Attribute("device") == "disk").ToList();
        foreach (var disk in disks)
        {
            if ((string?)disk.Attribute("type") == "file" && (string?)disk.Element("target")?.Attribute("dev") == "vda")
            {
                disk.Element("target")!.SetAttributeValue("dev", "vdb");
                disk.Element("address")?.Remove();
            }
            else
            {
                disk.Remove();
            }
        }
        devices.AddFirst(new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "qcow2"), new XAttribute("cache", "none")),
            new XElement("source", new XAttribute("file", rescueDisk)),
            new XElement("target", new XAttribute("dev", "vda"), new XAttribute("bus", "virtio"))));
        return domain.ToString();
    }
}
