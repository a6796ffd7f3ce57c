using System.Xml.Linq;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Volume;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute.Libvirt;

/// <summary>Volumes as libvirt disks: the iSCSI network disk QEMU opens itself, CHAP through a secret, and the domain at boot.</summary>
public sealed class VolumeDiskXmlTests
{
    private const string VolumeUuid = "0c6f3a52-2d1e-4b7a-9f3e-5a1b2c3d4e5f";
    private const string Password = "s3cr3t-chap-password";
    private static readonly VolumeConnection Connection = new(VolumeUuid, "192.168.50.5:3331", "iqn.2010-10.org.openstack:volume-0000000a", 1, "CHAP", "chapuser", Password);

    [Test]
    public void A_volume_is_an_iscsi_network_disk_with_chap_through_a_secret_and_its_uuid_as_serial()
    {
        var disk = VolumeDiskXml.Disk(new VolumeDisk(Connection, "vdb"));

        (disk.Attribute("type")!.Value, disk.Attribute("device")!.Value).Should().Be(("network", "disk"));
        var driver = disk.Element("driver")!;
        (driver.Attribute("name")!.Value, driver.Attribute("type")!.Value, driver.Attribute("cache")!.Value).Should().Be(("qemu", "raw", "none"));
        var source = disk.Element("source")!;
        source.Attribute("protocol")!.Value.Should().Be("iscsi");
        source.Attribute("name")!.Value.Should().Be("iqn.2010-10.org.openstack:volume-0000000a/1");
        (source.Element("host")!.Attribute("name")!.Value, source.Element("host")!.Attribute("port")!.Value).Should().Be(("192.168.50.5", "3331"));
        var auth = disk.Element("auth")!;
        auth.Attribute("username")!.Value.Should().Be("chapuser");
        (auth.Element("secret")!.Attribute("type")!.Value, auth.Element("secret")!.Attribute("usage")!.Value).Should().Be(("iscsi", "cloudd-volume-" + VolumeUuid));
        (disk.Element("target")!.Attribute("dev")!.Value, disk.Element("target")!.Attribute("bus")!.Value).Should().Be(("vdb", "virtio"));
        disk.Element("serial")!.Value.Should().Be(VolumeUuid);
    }

    [Test]
    public void The_chap_password_is_in_neither_the_disk_nor_the_secret_xml_nor_the_connection_text()
    {
        VolumeDiskXml.Disk(new VolumeDisk(Connection, "vdb")).ToString().Should().NotContain(Password);
        VolumeDiskXml.Secret(VolumeUuid).Should().NotContain(Password);
        Connection.ToString().Should().NotContain(Password);
        new VolumeDisk(Connection, "vdb").ToString().Should().NotContain(Password);
    }

    [Test]
    public void The_secret_is_private_persistent_and_named_by_the_volume_so_defining_it_again_is_idempotent()
    {
        var secret = XElement.Parse(VolumeDiskXml.Secret(VolumeUuid));

        (secret.Attribute("ephemeral")!.Value, secret.Attribute("private")!.Value).Should().Be(("no", "yes"));
        secret.Element("uuid")!.Value.Should().Be(VolumeUuid);
        secret.Element("usage")!.Attribute("type")!.Value.Should().Be("iscsi");
        secret.Element("usage")!.Element("target")!.Value.Should().Be(VolumeDiskXml.SecretUsage(VolumeUuid));
    }

    [Test]
    public void A_volume_without_chap_credentials_has_no_auth()
    {
        var open = Connection with { AuthMethod = "", AuthUsername = "", AuthPassword = "" };
        VolumeDiskXml.Disk(new VolumeDisk(open, "vdc")).Element("auth").Should().BeNull();
    }

    [TestCase("10.0.0.1:3260", "10.0.0.1", "3260")]
    [TestCase("10.0.0.1", "10.0.0.1", "3260")]
    [TestCase("[fd00::1]:3333", "fd00::1", "3333")]
    [TestCase("[fd00::1]", "fd00::1", "3260")]
    public void A_portal_splits_into_address_and_port(string portal, string address, string port) =>
        VolumeDiskXml.SplitPortal(portal).Should().Be((address, port));

    [Test]
    public void A_domain_with_a_data_volume_keeps_its_image_disk_as_vda_and_adds_the_volume()
    {
        var domain = Build(new VolumeDisk(Connection, "vdb"));

        var disks = domain.Element("devices")!.Elements("disk").ToList();
        disks.Select(d => d.Element("target")!.Attribute("dev")!.Value).Should().Equal("vda", "vdb");
        disks[0].Attribute("type")!.Value.Should().Be("file");
        VolumeDiskXml.Serials(domain).Should().Equal(VolumeUuid);
        VolumeDiskXml.Find(domain, VolumeUuid).Should().NotBeNull();
        VolumeDiskXml.Find(domain, "another").Should().BeNull();
    }

    [Test]
    public void A_domain_booted_from_a_volume_has_the_volume_as_vda_and_no_image_disk()
    {
        var domain = Build(new VolumeDisk(Connection, "vda", BootIndex: 0));

        var disks = domain.Element("devices")!.Elements("disk").ToList();
        disks.Should().ContainSingle();
        disks[0].Attribute("type")!.Value.Should().Be("network");
        disks[0].Element("target")!.Attribute("dev")!.Value.Should().Be("vda");
    }

    private static XElement Build(VolumeDisk volume)
    {
        var spec = new InstanceSpec("instance-0000002a", "77a5d4e9-9204-442d-a283-f3b41e684a14", 256, 1, 1, volume.IsRoot ? "" : "ami-1", "aki-1", "ari-1", null, null,
            Volumes: [volume]);
        return XElement.Parse(DomainXml.Build(spec, InstanceFiles.Of("/var/lib/cloudd/instances", spec.Name), "qemu", "console=ttyS0"));
    }
}
