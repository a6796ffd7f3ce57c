using Cloud.Modules.Swift.Storage;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

public sealed class ObjectPathTests
{
    [Test]
    public void An_object_name_keeps_its_slashes_and_is_percent_decoded()
    {
        ObjectPath.TryParse("/sda1/12/AUTH_x/photos/2024/cat%20one.jpg?multipart-manifest=get", out var path, out _).Should().BeTrue();

        path.Should().Be(new ObjectPath("sda1", 12, "AUTH_x", "photos", "2024/cat one.jpg"));
        path!.Name.Should().Be("/AUTH_x/photos/2024/cat one.jpg");
    }

    [TestCase("/sda1/0/a/c")]
    [TestCase("/sda1/0/a//o")]
    [TestCase("sda1/0/a/c/o")]
    [TestCase("/../0/a/c/o")]
    [TestCase("/%2E%2E/0/a/c/o")]
    [TestCase("/sd%2Fa1/0/a/c/o")]
    [TestCase("/sda1/0x1/a/c/o")]
    [TestCase("/sda1/+1/a/c/o")]
    [TestCase("/sda1/99999999999/a/c/o")]
    [TestCase("/sda1/0/a%2Fb/c/o")]
    public void A_path_that_is_not_device_partition_account_container_object_is_refused(string raw) =>
        ObjectPath.TryParse(raw, out _, out var error).Should().BeFalse(error);

    [Test]
    public void An_object_name_longer_than_1024_bytes_is_refused()
    {
        ObjectPath.TryParse("/sda1/0/a/c/" + new string('o', 1025), out _, out var error).Should().BeFalse();
        error.Should().Contain("longer than 1024");
    }
}
