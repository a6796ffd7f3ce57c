using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.IO;
using Cloud.Modules.Volume;
using Cloud.Modules.Volume.Drivers;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Volume;

/// <summary>
/// <see cref="FileVolumeDriver"/> on a scratch directory: sparse zero volumes, copies that keep their data (and stay
/// sparse), snapshots that do not follow later writes, and deletes that overwrite the data before the file goes (seen
/// through a hard link the test keeps, as the blocks would be seen by the filesystem's next user).
/// </summary>
public sealed class FileVolumeDriverTests
{
    private const long GiB = 1L << 30;
    private const long MiB = 1L << 20;

    private TempDir _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDir();

    [TearDown]
    public void DeleteDirectory() => _dir.Dispose();

    [Test]
    public async Task A_new_volume_is_a_sparse_file_of_its_size_that_reads_as_zeros_and_only_its_owner_can_open()
    {
        var path = await Driver().CreateVolumeAsync("volume-00000001", 2, default);

        path.Should().Be(Path.Combine(_dir.Path, "volumes", "volume-00000001"));
        new FileInfo(path).Length.Should().Be(2 * GiB);
        DataRanges(path).Should().BeEmpty("nothing is allocated until written");
        Read(path, GiB, 4096).Should().OnlyContain(b => b == 0);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        (await Driver().PathOfAsync("volume-00000001", default)).Should().Be(path);
        (await Driver().PathOfAsync("volume-00000002", default)).Should().BeNull();
    }

    [Test]
    public async Task Creating_again_keeps_the_volume_and_its_data()
    {
        var driver = Driver();
        var path = await driver.CreateVolumeAsync("volume-00000001", 1, default);
        Write(path, 4096, "kept");

        (await driver.CreateVolumeAsync("volume-00000001", 1, default)).Should().Be(path);

        ReadText(path, 4096, 4).Should().Be("kept");
    }

    [Test]
    public async Task Delete_overwrites_the_data_with_zeros_before_the_file_goes()
    {
        var driver = Driver();
        var path = await driver.CreateVolumeAsync("volume-00000001", 1, default);
        Write(path, 0, "secret at the start");
        Write(path, 700 * MiB, "secret in the middle");
        var link = await HardLinkAsync(path);

        await driver.DeleteVolumeAsync("volume-00000001", default);

        File.Exists(path).Should().BeFalse();
        Read(link, 0, 64).Should().OnlyContain(b => b == 0);
        Read(link, 700 * MiB, 64).Should().OnlyContain(b => b == 0);
        await driver.DeleteVolumeAsync("volume-00000001", default);
    }

    [Test]
    public async Task Volume_clear_size_wipes_only_the_first_mebibytes_and_none_wipes_nothing()
    {
        var path = await Driver(clearSizeMb: 1).CreateVolumeAsync("volume-00000001", 1, default);
        Write(path, 0, "first");
        Write(path, 2 * MiB, "beyond");
        var link = await HardLinkAsync(path);

        await Driver(clearSizeMb: 1).DeleteVolumeAsync("volume-00000001", default);

        ReadText(link, 0, 5).Should().Be("\0\0\0\0\0");
        ReadText(link, 2 * MiB, 6).Should().Be("beyond");

        var kept = await Driver(clear: "none").CreateVolumeAsync("volume-00000002", 1, default);
        Write(kept, 0, "first");
        var keptLink = await HardLinkAsync(kept);
        await Driver(clear: "none").DeleteVolumeAsync("volume-00000002", default);
        ReadText(keptLink, 0, 5).Should().Be("first");
    }

    [Test]
    public async Task A_snapshot_holds_the_data_of_its_moment_and_not_what_is_written_later()
    {
        var driver = Driver();
        var volume = await driver.CreateVolumeAsync("volume-00000001", 1, default);
        Write(volume, 300 * MiB, "before");

        await driver.CreateSnapshotAsync("volume-00000001", "snapshot-00000001", default);
        Write(volume, 300 * MiB, "after!");

        var snapshot = (await driver.PathOfAsync("snapshot-00000001", default))!;
        ReadText(snapshot, 300 * MiB, 6).Should().Be("before");
        new FileInfo(snapshot).Length.Should().Be(GiB);
        DataRanges(snapshot).Sum(r => r.Length).Should().BeLessThan(MiB, "the copy stays sparse");
    }

    [Test]
    public async Task A_volume_from_a_snapshot_or_a_clone_has_the_source_data_and_its_own_larger_size()
    {
        var driver = Driver();
        var volume = await driver.CreateVolumeAsync("volume-00000001", 1, default);
        Write(volume, 5 * MiB, "data");
        await driver.CreateSnapshotAsync("volume-00000001", "snapshot-00000001", default);

        var fromSnapshot = await driver.CreateVolumeFromSnapshotAsync("volume-00000002", 3, "snapshot-00000001", default);
        var clone = await driver.CloneVolumeAsync("volume-00000003", 2, "volume-00000001", default);

        ReadText(fromSnapshot, 5 * MiB, 4).Should().Be("data");
        new FileInfo(fromSnapshot).Length.Should().Be(3 * GiB);
        ReadText(clone, 5 * MiB, 4).Should().Be("data");
        new FileInfo(clone).Length.Should().Be(2 * GiB);
        Read(clone, 1536 * MiB, 16).Should().OnlyContain(b => b == 0);
        Directory.GetFiles(Path.Combine(_dir.Path, "volumes"), "*.partial").Should().BeEmpty();
    }

    [Test]
    public async Task Extend_grows_the_file_and_keeps_its_data()
    {
        var driver = Driver();
        var path = await driver.CreateVolumeAsync("volume-00000001", 1, default);
        Write(path, 10, "data");

        await driver.ExtendVolumeAsync("volume-00000001", 4, default);

        new FileInfo(path).Length.Should().Be(4 * GiB);
        ReadText(path, 10, 4).Should().Be("data");
    }

    [TestCase("../volume-00000001")]
    [TestCase("volumes/../../etc")]
    [TestCase(".hidden")]
    [TestCase("volume-00000001.partial")]
    [TestCase("")]
    [TestCase("-rf")]
    public async Task A_name_that_could_leave_the_directory_is_refused(string name)
    {
        var create = () => Driver().CreateVolumeAsync(name, 1, default);

        await create.Should().ThrowAsync<ArgumentException>();
        Directory.EnumerateFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories).Should().BeEmpty("nothing was made");
    }

    [Test]
    public async Task Operations_on_a_missing_source_name_it()
    {
        var extend = () => Driver().ExtendVolumeAsync("volume-00000009", 2, default);
        var snapshot = () => Driver().CreateSnapshotAsync("volume-00000009", "snapshot-00000001", default);

        (await extend.Should().ThrowAsync<FileNotFoundException>()).WithMessage("*volume-00000009*");
        await snapshot.Should().ThrowAsync<FileNotFoundException>();
    }

    [Test]
    public async Task Setup_creates_the_directory_and_reports_its_capacity()
    {
        var driver = Driver();

        await driver.CheckSetupAsync(default);
        var capacity = await driver.GetCapacityAsync(default);

        Directory.Exists(Path.Combine(_dir.Path, "volumes")).Should().BeTrue();
        Directory.GetFiles(Path.Combine(_dir.Path, "volumes")).Should().BeEmpty("the probe file is removed");
        capacity.TotalGb.Should().BePositive();
        capacity.FreeGb.Should().BeInRange(0, capacity.TotalGb);
    }

    [Test]
    public async Task Setup_names_a_volumes_dir_that_cannot_be_written_and_an_unknown_volume_clear()
    {
        var notADirectory = _dir.File("plain-file", "x");
        var blocked = () => Driver(volumesDir: Path.Combine(notADirectory, "volumes")).CheckSetupAsync(default);
        var unknownClear = () => Driver(clear: "shred").CheckSetupAsync(default);

        (await blocked.Should().ThrowAsync<InvalidOperationException>()).WithMessage("--volumes_dir */plain-file/volumes is not writable*");
        (await unknownClear.Should().ThrowAsync<InvalidOperationException>()).WithMessage("--volume_clear=shred*");
    }

    private FileVolumeDriver Driver(string clear = "zero", long clearSizeMb = 0, string volumesDir = "") =>
        new(Options.Create(new VolumeFlags { VolumeClear = clear, VolumeClearSize = clearSizeMb, VolumesDir = volumesDir }),
            Options.Create(new CommonFlags { StatePath = _dir.Path }), NullLogger<FileVolumeDriver>.Instance);

    private static void Write(string path, long offset, string text)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(file, System.Text.Encoding.ASCII.GetBytes(text), offset);
    }

    private static byte[] Read(string path, long offset, int count)
    {
        using var file = File.OpenHandle(path);
        var buffer = new byte[count];
        RandomAccess.Read(file, buffer, offset).Should().Be(count);
        return buffer;
    }

    private static string ReadText(string path, long offset, int count) => System.Text.Encoding.ASCII.GetString(Read(path, offset, count));

    private static IReadOnlyList<(long Offset, long Length)> DataRanges(string path)
    {
        using var file = File.OpenHandle(path);
        return FileExtents.DataRanges(file);
    }

    /// <summary>A second name for the file's blocks, kept by the test: what the driver wipes, it sees.</summary>
    private async Task<string> HardLinkAsync(string path)
    {
        var link = Path.Combine(_dir.Path, "link-" + Path.GetFileName(path));
        var run = await ExternalTool.RunAsync("ln", [path, link], _dir.Path);
        run.ExitCode.Should().Be(0, run.ToString());
        return link;
    }
}
