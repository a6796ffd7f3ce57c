using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Fake;
using Cloud.Modules.Compute;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>
/// <c>--fake_guests_file</c> (test double only): the fake driver's guests are in the file, and a driver started on the
/// same file has them again, as a hypervisor keeps its guests when the compute process dies (the fault tests rely on it).
/// </summary>
public sealed class FakeGuestsFileTests
{
    [Test]
    public async Task Guests_are_kept_in_the_file_and_a_new_driver_on_it_finds_them()
    {
        using var dir = new TempDir();
        var flags = new FakeDriverFlags { GuestsFile = Path.Combine(dir.Path, "guests.json") };
        var uuid = Guid.NewGuid().ToString();
        var first = new FakeComputeDriver(flags);
        await first.SpawnAsync(new InstanceSpec("instance-00000001", uuid, 64, 1, 0, "ami", null, null, null, null), default);
        await first.SpawnAsync(new InstanceSpec("instance-00000002", Guid.NewGuid().ToString(), 64, 1, 0, "ami", null, null, null, null), default);
        await first.DestroyAsync("instance-00000002", default);
        await first.PowerOffAsync("instance-00000001", default);

        var again = new FakeComputeDriver(flags);

        (await again.ListInstancesAsync(default)).Should().Equal("instance-00000001");
        (await again.GetInfoAsync("instance-00000001", default))!.State.Should().Be(PowerState.Shutdown);
        File.ReadAllText(flags.GuestsFile).Should().Contain(uuid);
    }

    [Test]
    public void A_guests_file_in_a_directory_that_does_not_exist_is_refused()
    {
        var flags = new FakeDriverFlags { GuestsFile = "/nonexistent-dir/guests.json" };

        flags.Invoking(f => f.Validate()).Should().Throw<Exception>().WithMessage("*fake_guests_file*");
    }
}
