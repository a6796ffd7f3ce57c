using Cloud.Modules.Volume;
using Cloud.Modules.Volume.Drivers;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Volume;

/// <summary>
/// <see cref="LvmVolumeDriver"/>'s commands, recorded (this machine has no device-mapper: see LvmVolumeDriverRealTests):
/// nova-volume's lvcreate/lvremove/lvextend and dd, the wipe before every remove, and what a failure leaves.
/// </summary>
public sealed class LvmVolumeDriverTests
{
    private const string Lvs = "lvs --noheadings --units b --nosuffix -o lv_size nova-volumes/";
    private const string OneGiB = "  1073741824\n";
    private const string TwoGiB = "  2147483648\n";

    [Test]
    public async Task A_volume_is_a_logical_volume_of_its_size_in_the_group()
    {
        var host = Host();

        var path = await Driver(host).CreateVolumeAsync("volume-00000001", 2, default);

        path.Should().Be("/dev/nova-volumes/volume-00000001");
        host.Lines.Should().Equal(Lvs + "volume-00000001", "lvcreate -L 2G -n volume-00000001 nova-volumes");
    }

    [Test]
    public async Task Creating_a_volume_that_exists_changes_nothing()
    {
        var host = Host().Answer(Lvs + "volume-00000001", TwoGiB);

        await Driver(host).CreateVolumeAsync("volume-00000001", 2, default);

        host.Lines.Should().Equal(Lvs + "volume-00000001");
    }

    [Test]
    public async Task Delete_writes_zeros_over_the_whole_volume_before_lvremove()
    {
        var host = Host().Answer(Lvs + "volume-00000001", OneGiB);

        await Driver(host).DeleteVolumeAsync("volume-00000001", default);

        host.Lines.Should().Equal(
            Lvs + "volume-00000001",
            "dd if=/dev/zero of=/dev/nova-volumes/volume-00000001 bs=1M count=1024 oflag=direct",
            "lvremove -f nova-volumes/volume-00000001");
    }

    [TestCase("zero", 100, "dd if=/dev/zero of=/dev/nova-volumes/volume-00000001 bs=1M count=100 oflag=direct")]
    [TestCase("zero", 5000, "dd if=/dev/zero of=/dev/nova-volumes/volume-00000001 bs=1M count=1024 oflag=direct")]
    [TestCase("none", 0, null)]
    public async Task Volume_clear_and_its_size_decide_the_wipe(string clear, long sizeMb, string? wipe)
    {
        var host = Host().Answer(Lvs + "volume-00000001", OneGiB);

        await Driver(host, clear, sizeMb).DeleteVolumeAsync("volume-00000001", default);

        host.Lines.Where(l => l.StartsWith("dd ", StringComparison.Ordinal)).Should().Equal(wipe is null ? [] : [wipe]);
        host.Lines.Last().Should().Be("lvremove -f nova-volumes/volume-00000001");
    }

    [Test]
    public async Task Deleting_a_volume_that_is_gone_is_no_error()
    {
        var host = Host();

        await Driver(host).DeleteVolumeAsync("volume-00000001", default);

        host.Lines.Should().Equal(Lvs + "volume-00000001");
    }

    [Test]
    public async Task A_failed_wipe_keeps_the_volume_so_that_the_delete_can_be_repeated()
    {
        var host = Host().Answer(Lvs + "volume-00000001", OneGiB).Reply("dd ", 1);

        var delete = () => Driver(host).DeleteVolumeAsync("volume-00000001", default);

        await delete.Should().ThrowAsync<InvalidOperationException>();
        host.Lines.Should().NotContain(l => l.StartsWith("lvremove", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_snapshot_is_an_lvm_snapshot_as_large_as_its_volume_and_its_delete_wipes_the_cow_store()
    {
        var host = Host().Answer(Lvs + "volume-00000001", TwoGiB).Answer(Lvs + "snapshot-00000001", "", 5).Answer(Lvs + "snapshot-00000001", TwoGiB);
        var driver = Driver(host);

        await driver.CreateSnapshotAsync("volume-00000001", "snapshot-00000001", default);
        await driver.DeleteSnapshotAsync("snapshot-00000001", default);

        host.Lines.Should().Equal(
            Lvs + "volume-00000001",
            Lvs + "snapshot-00000001",
            "lvcreate -L 2147483648b -s -n snapshot-00000001 nova-volumes/volume-00000001",
            Lvs + "snapshot-00000001",
            "dd if=/dev/zero of=/dev/mapper/nova--volumes-snapshot--00000001-cow bs=1M count=2048 oflag=direct",
            "lvremove -f nova-volumes/snapshot-00000001");
    }

    [Test]
    public async Task A_volume_from_a_snapshot_is_a_new_lv_the_snapshot_is_copied_into()
    {
        var host = Host().Answer(Lvs + "snapshot-00000001", OneGiB);

        var path = await Driver(host).CreateVolumeFromSnapshotAsync("volume-00000002", 3, "snapshot-00000001", default);

        path.Should().Be("/dev/nova-volumes/volume-00000002");
        host.Lines.Should().Equal(
            Lvs + "volume-00000002",
            Lvs + "snapshot-00000001",
            "lvcreate -L 3G -n volume-00000002 nova-volumes",
            "dd if=/dev/nova-volumes/snapshot-00000001 of=/dev/nova-volumes/volume-00000002 bs=1M count=1024 iflag=direct oflag=direct");
    }

    [Test]
    public async Task A_failed_copy_removes_the_half_filled_volume()
    {
        var host = Host().Answer(Lvs + "snapshot-00000001", OneGiB).Reply("dd ", 1);

        var create = () => Driver(host).CreateVolumeFromSnapshotAsync("volume-00000002", 1, "snapshot-00000001", default);

        await create.Should().ThrowAsync<InvalidOperationException>();
        host.Lines.Last().Should().Be("lvremove -f nova-volumes/volume-00000002");
    }

    [Test]
    public async Task A_clone_copies_a_temporary_snapshot_of_its_source_and_removes_it()
    {
        const string moment = "volume-00000002-clone-src";
        var host = Host().Answer(Lvs + "volume-00000001", OneGiB).Answer(Lvs + moment, "", 5).Answer(Lvs + moment, OneGiB);

        await Driver(host).CloneVolumeAsync("volume-00000002", 2, "volume-00000001", default);

        host.Lines.Where(l => !l.StartsWith("lvs ", StringComparison.Ordinal)).Should().Equal(
            $"lvcreate -L 1073741824b -s -n {moment} nova-volumes/volume-00000001",
            "lvcreate -L 2G -n volume-00000002 nova-volumes",
            $"dd if=/dev/nova-volumes/{moment} of=/dev/nova-volumes/volume-00000002 bs=1M count=1024 iflag=direct oflag=direct",
            $"dd if=/dev/zero of=/dev/mapper/nova--volumes-volume--00000002--clone--src-cow bs=1M count=1024 oflag=direct",
            $"lvremove -f nova-volumes/{moment}");
    }

    [Test]
    public async Task Extend_grows_a_smaller_volume_only()
    {
        var smaller = Host().Answer(Lvs + "volume-00000001", OneGiB);
        var already = Host().Answer(Lvs + "volume-00000001", TwoGiB);

        await Driver(smaller).ExtendVolumeAsync("volume-00000001", 2, default);
        await Driver(already).ExtendVolumeAsync("volume-00000001", 2, default);

        smaller.Lines.Should().Equal(Lvs + "volume-00000001", "lvextend -L 2G nova-volumes/volume-00000001");
        already.Lines.Should().Equal(Lvs + "volume-00000001");
    }

    [Test]
    public async Task Capacity_is_the_groups_size_and_free_space_in_whole_gib()
    {
        var host = Host().Answer("vgs --noheadings --units g -o vg_size,vg_free --nosuffix nova-volumes", "  20.00   15.75\n");

        var capacity = await Driver(host).GetCapacityAsync(default);

        capacity.Should().Be(new VolumeBackendCapacity(20, 15));
    }

    [Test]
    public async Task Setup_names_a_missing_volume_group()
    {
        var host = Host().Reply("vgs nova-volumes", 5);

        var check = () => Driver(host).CheckSetupAsync(default);

        (await check.Should().ThrowAsync<InvalidOperationException>()).WithMessage("volume group nova-volumes (--volume_group) is not usable*");
    }

    [Test]
    public async Task An_lvcreate_failure_surfaces()
    {
        var host = Host().Reply("lvcreate", 5);

        var create = () => Driver(host).CreateVolumeAsync("volume-00000001", 1, default);

        (await create.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*lvcreate -L 1G -n volume-00000001 nova-volumes*");
    }

    [TestCase("../root")]
    [TestCase("vg/lv")]
    [TestCase("-f")]
    [TestCase("snapshot")]
    public async Task A_name_that_is_not_a_plain_lv_name_runs_nothing(string name)
    {
        var host = Host();

        var create = () => Driver(host).CreateVolumeAsync(name, 1, default);

        await create.Should().ThrowAsync<ArgumentException>();
        host.Lines.Should().BeEmpty();
    }

    /// <summary>A host whose volume group holds no LV unless a test answers for it (lvs exits 5 for a missing one).</summary>
    private static RecordedCommands Host() => new RecordedCommands().Reply("lvs ", 5);

    private static LvmVolumeDriver Driver(RecordedCommands host, string clear = "zero", long clearSizeMb = 0) =>
        new(Options.Create(new VolumeFlags { VolumeClear = clear, VolumeClearSize = clearSizeMb }), host, NullLogger<LvmVolumeDriver>.Instance);
}
