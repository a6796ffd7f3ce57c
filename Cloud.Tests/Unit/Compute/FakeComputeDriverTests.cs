using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Fake;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>
/// The fake driver (a test double) keeps the devices attached to its in-memory domains; what every driver does
/// (an unknown domain refuses devices too) is in <c>Contract/ComputeDriverContractTests</c>.
/// </summary>
public sealed class FakeComputeDriverTests
{
    [Test]
    public async Task Devices_are_attached_and_detached_and_unknown_ones_are_refused()
    {
        var driver = new FakeComputeDriver(new FakeDriverFlags());
        await driver.SpawnAsync(new InstanceSpec("instance-00000001", Guid.NewGuid().ToString(), 64, 1, 0, "ami", null, null, null, null), default);

        await driver.AttachDeviceAsync("instance-00000001", "<disk/>", default);
        driver.DevicesOf("instance-00000001").Should().Equal("<disk/>");
        await driver.DetachDeviceAsync("instance-00000001", "<disk/>", default);

        driver.DevicesOf("instance-00000001").Should().BeEmpty();
        await driver.Invoking(d => d.DetachDeviceAsync("instance-00000001", "<disk/>", default)).Should().ThrowAsync<InvalidOperationException>();
    }
}
