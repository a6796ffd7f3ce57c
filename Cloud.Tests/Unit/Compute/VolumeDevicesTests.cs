using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>The device a volume gets on an instance, and the virtio disk that becomes.</summary>
public sealed class VolumeDevicesTests
{
    [Test]
    public void No_device_asked_gives_the_first_free_vd_device_after_the_root_disk()
    {
        VolumeDevices.Choose(null, []).Should().Be("/dev/vdb");
        VolumeDevices.Choose("auto", ["/dev/vdb", "/dev/sdc"]).Should().Be("/dev/vdd");
    }

    [TestCase("/dev/vdc")]
    [TestCase("/dev/sdf")]
    [TestCase("/dev/xvdg")]
    public void A_valid_free_device_is_taken_as_asked(string device) => VolumeDevices.Choose(device, ["/dev/vdb"]).Should().Be(device);

    [TestCase("/dev/vda")]
    [TestCase("/dev/sda")]
    [TestCase("/dev/sdb")]
    public void A_device_in_use_is_a_conflict(string device)
    {
        var refused = () => VolumeDevices.Choose(device, ["/dev/vdb"]);
        refused.Should().Throw<CloudException>().Which.Should().Match<CloudException>(e => e.Kind == CloudErrorKind.Conflict && e.Message == $"The supplied device path ({device}) is in use.");
    }

    [TestCase("vdb")]
    [TestCase("/dev/vdb1")]
    [TestCase("/dev/hda")]
    [TestCase("/dev/../etc/passwd")]
    [TestCase("/dev/vdB")]
    public void An_invalid_device_is_refused_with_novas_message(string device)
    {
        var refused = () => VolumeDevices.Choose(device, []);
        refused.Should().Throw<CloudException>().Which.Should().Match<CloudException>(e => e.Kind == CloudErrorKind.Invalid && e.Message == $"The supplied device path ({device}) is invalid.");
    }

    [Test]
    public void When_every_letter_is_taken_there_is_no_free_device()
    {
        var all = Enumerable.Range('b', 25).Select(c => "/dev/vd" + (char)c).ToList();
        var refused = () => VolumeDevices.Choose(null, all);
        refused.Should().Throw<CloudException>().Which.Kind.Should().Be(CloudErrorKind.Invalid);
    }

    [TestCase("/dev/vdc", "vdc")]
    [TestCase("/dev/sdc", "vdc")]
    [TestCase("/dev/vda", "vda")]
    public void Every_volume_is_a_virtio_disk_with_the_same_letter(string device, string dev) => VolumeDevices.TargetDev(device).Should().Be(dev);
}
