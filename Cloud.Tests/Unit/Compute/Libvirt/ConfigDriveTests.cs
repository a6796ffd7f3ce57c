using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Network;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute.Libvirt;

/// <summary>What the config drive holds, and how the domain carries it.</summary>
public sealed class ConfigDriveTests
{
    private static readonly InstanceNetwork Nic = new("br100", null, "10.0.0.5", "52:54:00:12:34:56", "10.0.0.0/24", "255.255.255.0", "10.0.0.1", "10.0.0.255", "10.0.0.53");

    private static InstanceSpec Spec(InstanceNetwork? nic = null) =>
        new("instance-0000002a", "77a5d4e9-9204-442d-a283-f3b41e684a14", 256, 1, 1, "ami-1", null, null, "ssh-ed25519 AAAA+key/x alice\n",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("#!/bin/sh\necho hi\n")), "p", "u", nic ?? Nic, "web-1", ConfigDrive: true);

    [Test]
    public void It_holds_meta_data_network_data_and_user_data_for_each_version_with_the_key_unescaped()
    {
        var files = ConfigDrive.Files(Spec());

        files.Keys.Should().BeEquivalentTo(
            "openstack/2012-08-10/meta_data.json", "openstack/2012-08-10/network_data.json", "openstack/2012-08-10/user_data",
            "openstack/latest/meta_data.json", "openstack/latest/network_data.json", "openstack/latest/user_data",
            "ec2/2009-04-04/meta-data.json", "ec2/latest/meta-data.json");
        var ec2 = JsonDocument.Parse(files["ec2/latest/meta-data.json"]).RootElement;
        (ec2.GetProperty("instance-id").GetString(), ec2.GetProperty("local-ipv4").GetString()).Should().Be(("i-0000002a", "10.0.0.5"));
        Encoding.UTF8.GetString(files["openstack/latest/meta_data.json"]).Should().Contain("\"public_keys\":{\"default\":\"ssh-ed25519 AAAA+key/x alice\\n\"}");
        var meta = JsonDocument.Parse(files["openstack/latest/meta_data.json"]).RootElement;
        (meta.GetProperty("uuid").GetString(), meta.GetProperty("hostname").GetString()).Should().Be(("77a5d4e9-9204-442d-a283-f3b41e684a14", "web-1"));
        var network = JsonDocument.Parse(files["openstack/latest/network_data.json"]).RootElement;
        network.GetProperty("links")[0].GetProperty("ethernet_mac_address").GetString().Should().Be("52:54:00:12:34:56");
        var ipv4 = network.GetProperty("networks")[0];
        (ipv4.GetProperty("type").GetString(), ipv4.GetProperty("ip_address").GetString(), ipv4.GetProperty("netmask").GetString()).Should().Be(("ipv4", "10.0.0.5", "255.255.255.0"));
        ipv4.GetProperty("routes")[0].GetProperty("gateway").GetString().Should().Be("10.0.0.1");
        network.GetProperty("services")[0].GetProperty("address").GetString().Should().Be("10.0.0.53");
        Encoding.UTF8.GetString(files["openstack/latest/user_data"]).Should().Be("#!/bin/sh\necho hi\n");
    }

    [Test]
    public void The_domain_carries_the_drive_as_a_read_only_ide_cdrom()
    {
        var files = InstanceFiles.Of("/var/lib/cloudd/instances", "instance-0000002a");

        var cdrom = XElement.Parse(DomainXml.Build(Spec(), files, "qemu", "console=ttyS0", configDrive: true))
            .Element("devices")!.Elements("disk").Single(d => d.Attribute("device")!.Value == "cdrom");

        cdrom.Element("source")!.Attribute("file")!.Value.Should().Be("/var/lib/cloudd/instances/instance-0000002a/disk.config");
        (cdrom.Element("target")!.Attribute("dev")!.Value, cdrom.Element("target")!.Attribute("bus")!.Value).Should().Be(("hdd", "ide"));
        cdrom.Element("readonly").Should().NotBeNull();
        XElement.Parse(DomainXml.Build(Spec(), files, "qemu", "console=ttyS0")).Element("devices")!.Elements("disk").Should().ContainSingle("no drive unless asked");
    }
}
