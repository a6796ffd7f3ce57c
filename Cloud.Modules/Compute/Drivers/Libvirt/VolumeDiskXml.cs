using System.Globalization;
using System.Xml.Linq;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// libvirt XML of a volume disk (nova's LibvirtNetVolumeDriver for iSCSI): a network disk QEMU's own libiscsi opens
/// (the host has no kernel initiator), raw, uncached, on virtio, with the volume's uuid as its serial, and CHAP
/// through a libvirt secret whose usage names the volume, so the password is never in the domain XML.
/// </summary>
public static class VolumeDiskXml
{
    /// <summary>libvirt's VIR_SECRET_USAGE_TYPE_ISCSI.</summary>
    public const int IscsiUsageType = 3;

    /// <summary>The secret's usage id for the volume's CHAP password.</summary>
    public static string SecretUsage(string volumeUuid) => $"cloudd-volume-{volumeUuid}";

    /// <summary>The <c>&lt;disk&gt;</c> element of <paramref name="disk"/>.</summary>
    public static XElement Disk(VolumeDisk disk)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var connection = disk.Connection;
        var (address, port) = SplitPortal(connection.TargetPortal);
        var source = new XElement("source", new XAttribute("protocol", "iscsi"),
            new XAttribute("name", $"{connection.TargetIqn}/{connection.TargetLun.ToString(CultureInfo.InvariantCulture)}"),
            new XElement("host", new XAttribute("name", address), new XAttribute("port", port)));
        var element = new XElement("disk", new XAttribute("type", "network"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "raw"), new XAttribute("cache", "none")),
            source);
        if (!string.IsNullOrEmpty(connection.AuthUsername))
        {
            element.Add(new XElement("auth", new XAttribute("username", connection.AuthUsername),
                new XElement("secret", new XAttribute("type", "iscsi"), new XAttribute("usage", SecretUsage(disk.Serial)))));
        }
        element.Add(new XElement("target", new XAttribute("dev", disk.TargetDev), new XAttribute("bus", "virtio")));
        element.Add(new XElement("serial", disk.Serial));
        return element;
    }

    /// <summary>
    /// A persistent, private secret for the volume's CHAP password (its value is set separately and cannot be read back
    /// through libvirt's API). Its uuid is the volume's, so defining it again is idempotent.
    /// </summary>
    public static string Secret(string volumeUuid) =>
        new XElement("secret", new XAttribute("ephemeral", "no"), new XAttribute("private", "yes"),
            new XElement("uuid", volumeUuid),
            new XElement("description", $"CHAP secret of volume {volumeUuid}"),
            new XElement("usage", new XAttribute("type", "iscsi"), new XElement("target", SecretUsage(volumeUuid)))).ToString();

    /// <summary>The serials of the volume disks in a domain's XML (the uuids of the volumes it has).</summary>
    public static IReadOnlyList<string> Serials(XElement domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return [.. VolumeDisks(domain).Select(d => (string)d.Element("serial")!)];
    }

    /// <summary>The domain's disk with serial <paramref name="serial"/>, or null.</summary>
    public static XElement? Find(XElement domain, string serial) =>
        VolumeDisks(domain).FirstOrDefault(d => string.Equals((string?)d.Element("serial"), serial, StringComparison.Ordinal));

    private static IEnumerable<XElement> VolumeDisks(XElement domain) =>
        domain.Element("devices")?.Elements("disk").Where(d => (string?)d.Attribute("type") == "network" && d.Element("serial") is not null) ?? [];

    /// <summary>"address:port" (an IPv6 address in brackets) → address and port; no port means iSCSI's 3260.</summary>
    internal static (string Address, string Port) SplitPortal(string portal)
    {
        ArgumentException.ThrowIfNullOrEmpty(portal);
        var colon = portal.LastIndexOf(':');
        if (colon < 0 || portal.EndsWith(']'))
        {
            return (portal.Trim('[', ']'), "3260");
        }
        return (portal[..colon].Trim('[', ']'), portal[(colon + 1)..]);
    }
}
