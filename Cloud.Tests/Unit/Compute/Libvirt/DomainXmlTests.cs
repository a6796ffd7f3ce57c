using System.Xml.Linq;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Network;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute.Libvirt;

/// <summary>The domain XML the libvirt driver defines, element by element.</summary>
public sealed class DomainXmlTests
{
    private const string Uuid = "77a5d4e9-9204-442d-a283-f3b41e684a14";
    private static readonly InstanceFiles Files = InstanceFiles.Of("/var/lib/cloudd/instances", "instance-0000002a");

    private static InstanceSpec Spec(string? kernel = "aki-1", string? ramdisk = "ari-1", InstanceNetwork? network = null) =>
        new("instance-0000002a", Uuid, 256, 2, 1, "ami-1", kernel, ramdisk, null, null, "p", "u", network);

    private static XElement Build(InstanceSpec spec, string type = "qemu") =>
        XElement.Parse(DomainXml.Build(spec, Files, type, "root=/dev/vda console=ttyS0 panic=-1"));

    [Test]
    public void A_kernel_instance_boots_its_kernel_and_ramdisk_directly_with_the_command_line()
    {
        var domain = Build(Spec());

        domain.Attribute("type")!.Value.Should().Be("qemu");
        domain.Element("name")!.Value.Should().Be("instance-0000002a");
        domain.Element("uuid")!.Value.Should().Be(Uuid);
        (domain.Element("memory")!.Value, domain.Element("memory")!.Attribute("unit")!.Value, domain.Element("vcpu")!.Value).Should().Be(("256", "MiB", "2"));
        var os = domain.Element("os")!;
        os.Element("type")!.Value.Should().Be("hvm");
        os.Element("type")!.Attribute("machine")!.Value.Should().Be("pc");
        os.Element("kernel")!.Value.Should().Be("/var/lib/cloudd/instances/instance-0000002a/kernel");
        os.Element("initrd")!.Value.Should().Be("/var/lib/cloudd/instances/instance-0000002a/ramdisk");
        os.Element("cmdline")!.Value.Should().Be("root=/dev/vda console=ttyS0 panic=-1");
        os.Element("boot").Should().BeNull();
        domain.Element("cpu").Should().BeNull("TCG needs no cpu model, and host models break on PVM hosts");
    }

    [Test]
    public void An_instance_without_kernel_boots_from_its_disk_and_one_without_ramdisk_has_no_initrd()
    {
        Build(Spec(kernel: null, ramdisk: null)).Element("os")!.Element("boot")!.Attribute("dev")!.Value.Should().Be("hd");
        Build(Spec(kernel: null, ramdisk: null)).Element("os")!.Element("kernel").Should().BeNull();
        Build(Spec(ramdisk: null)).Element("os")!.Element("initrd").Should().BeNull();
    }

    [Test]
    public void The_root_disk_is_the_qcow2_overlay_on_virtio_vda_and_the_serial_console_goes_to_console_log()
    {
        var devices = Build(Spec()).Element("devices")!;

        var disk = devices.Element("disk")!;
        disk.Element("driver")!.Attribute("type")!.Value.Should().Be("qcow2");
        disk.Element("source")!.Attribute("file")!.Value.Should().Be(Files.Disk);
        (disk.Element("target")!.Attribute("dev")!.Value, disk.Element("target")!.Attribute("bus")!.Value).Should().Be(("vda", "virtio"));
        var serial = devices.Element("serial")!;
        serial.Attribute("type")!.Value.Should().Be("file");
        serial.Element("source")!.Attribute("path")!.Value.Should().Be("/var/lib/cloudd/instances/instance-0000002a/console.log");
        devices.Element("memballoon")!.Attribute("model")!.Value.Should().Be("none");
        devices.Element("interface").Should().BeNull("an instance without network has no NIC");
    }

    [Test]
    public void The_nic_joins_the_bridge_with_the_allocated_mac_on_a_tap_named_after_the_uuid()
    {
        var network = new InstanceNetwork("br100", null, "10.0.0.3", "52:54:00:12:34:56", "10.0.0.0/24", "255.255.255.0", "10.0.0.1", "10.0.0.255", null);

        var nic = Build(Spec(network: network)).Element("devices")!.Element("interface")!;

        nic.Attribute("type")!.Value.Should().Be("bridge");
        nic.Element("mac")!.Attribute("address")!.Value.Should().Be("52:54:00:12:34:56");
        nic.Element("source")!.Attribute("bridge")!.Value.Should().Be("br100");
        nic.Element("target")!.Attribute("dev")!.Value.Should().Be("tap77a5d4e99204").And.HaveLength(15);
        nic.Element("model")!.Attribute("type")!.Value.Should().Be("virtio");
        nic.Element("driver").Should().BeNull("there is no vhost-net on these hosts");
    }

    [Test]
    public void Power_off_and_crash_end_the_domain_reboot_restarts_it_and_acpi_lets_the_guest_shut_down()
    {
        var domain = Build(Spec(), "kvm");

        domain.Attribute("type")!.Value.Should().Be("kvm");
        (domain.Element("on_poweroff")!.Value, domain.Element("on_reboot")!.Value, domain.Element("on_crash")!.Value).Should().Be(("destroy", "restart", "destroy"));
        domain.Element("features")!.Element("acpi").Should().NotBeNull();
    }

    [Test]
    public void Values_are_escaped_not_spliced()
    {
        var xml = DomainXml.Build(Spec(), Files, "qemu", "console=ttyS0 x=<&>");

        XElement.Parse(xml).Element("os")!.Element("cmdline")!.Value.Should().Be("console=ttyS0 x=<&>");
    }
}
