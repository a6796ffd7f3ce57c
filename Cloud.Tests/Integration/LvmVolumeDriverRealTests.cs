using Cloud.Modules.Kernel.Host;
using Cloud.Modules.Volume;
using Cloud.Modules.Volume.Drivers;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// <see cref="LvmVolumeDriver"/> on a real volume group of its own (a sparse file on a loop device). Runs wherever the
/// kernel has device-mapper; ignored where it has not (this development machine: no /dev/mapper/control, so lvcreate
/// fails; LvmVolumeDriverTests checks the commands there).
/// </summary>
[Category("Integration")]
public sealed class LvmVolumeDriverRealTests
{
    private TempDir _dir = null!;
    private string _loop = "";
    private string _group = "";

    [SetUp]
    public async Task CreateVolumeGroup()
    {
        if (!File.Exists("/dev/mapper/control"))
        {
            Assert.Ignore("device-mapper missing (no /dev/mapper/control): LVM cannot create logical volumes on this kernel; this test runs where it can");
        }
        TestEnv.RequireRoot();
        ExternalTool.Require("lvcreate", "lvm2");
        ExternalTool.Require("losetup", "mount");
        _dir = new TempDir();
        var backing = Path.Combine(_dir.Path, "pv.img");
        await using (var file = File.Create(backing))
        {
            file.SetLength(4L << 30);
        }
        _loop = (await RunAsync("losetup", "-f", "--show", backing)).Trim();
        _group = $"cloudd-test-vg-{Environment.ProcessId}";
        await RunAsync("vgcreate", _group, _loop);
    }

    [TearDown]
    public async Task RemoveVolumeGroup()
    {
        if (_group.Length > 0)
        {
            await ExternalTool.RunAsync("vgremove", ["-f", _group], "/tmp");
        }
        if (_loop.Length > 0)
        {
            await ExternalTool.RunAsync("pvremove", ["-f", _loop], "/tmp");
            await ExternalTool.RunAsync("losetup", ["-d", _loop], "/tmp");
        }
        _dir?.Dispose();
    }

    [Test]
    public async Task Volumes_snapshots_copies_and_a_wiped_delete_on_real_lvm()
    {
        var driver = new LvmVolumeDriver(Options.Create(new VolumeFlags { VolumeGroup = _group }), new CommandRunner([], NullLogger<CommandRunner>.Instance),
            NullLogger<LvmVolumeDriver>.Instance);
        await driver.CheckSetupAsync(default);

        var volume = await driver.CreateVolumeAsync("volume-00000001", 1, default);
        await WriteAsync(volume, "pattern-one");
        await driver.CreateSnapshotAsync("volume-00000001", "snapshot-00000001", default);
        await WriteAsync(volume, "pattern-two");
        var fromSnapshot = await driver.CreateVolumeFromSnapshotAsync("volume-00000002", 1, "snapshot-00000001", default);
        await driver.ExtendVolumeAsync("volume-00000001", 2, default);

        (await ReadAsync(fromSnapshot, 11)).Should().Be("pattern-one", "the snapshot is of its moment");
        (await ReadAsync(volume, 11)).Should().Be("pattern-two");
        (await driver.GetCapacityAsync(default)).TotalGb.Should().Be(3);

        await driver.DeleteSnapshotAsync("snapshot-00000001", default);
        await driver.DeleteVolumeAsync("volume-00000002", default);
        await driver.DeleteVolumeAsync("volume-00000001", default);
        var fresh = await driver.CreateVolumeAsync("volume-00000003", 3, default);

        (await ReadAsync(fresh, 11)).Should().Be(new string('\0', 11), "the extents came back wiped");
        (await driver.PathOfAsync("volume-00000001", default)).Should().BeNull();
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var run = await ExternalTool.RunAsync(program, arguments, "/tmp");
        run.ExitCode.Should().Be(0, $"{program} {string.Join(' ', arguments)}: {run}");
        return run.Stdout;
    }

    private static async Task WriteAsync(string device, string text)
    {
        await using var stream = new FileStream(device, FileMode.Open, FileAccess.Write);
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text));
        stream.Flush(flushToDisk: true);
    }

    private static async Task<string> ReadAsync(string device, int count)
    {
        await using var stream = new FileStream(device, FileMode.Open, FileAccess.Read);
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }
}
