using System.Diagnostics;
using System.Text;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Volume;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// Volumes through the real libvirt driver: a private tgtd (control port 31, portal 127.0.0.1:3331) exports file-backed
/// LUNs with CHAP, and test-image guests under TCG get them as iSCSI network disks opened by QEMU itself, hot and at
/// boot. The guest's console shows each disk with its serial (the volume uuid) and first bytes, and writes a pattern on
/// request (user data on its config drive), so data can be followed across detach and reattach.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class LibvirtVolumeTests
{
    private const int ControlPort = 31;
    private const int PortalPort = 3331;
    private const string ChapUser = "volattach-user";
    private const string ChapPassword = "volattach-chap-9f1c";
    private const string Pattern = "VOLATTACH-PATTERN-42";

    private readonly List<string> _spawned = [];
    private TgtDaemon _tgt = null!;
    private TempDir _dir = null!;
    private TempDir _instances = null!;
    private LibvirtComputeDriver _driver = null!;
    private int _tids;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        await TestLibvirt.RequireAsync();
        _tgt = await TgtDaemon.StartAsync(ControlPort, PortalPort);
        _dir = new TempDir().Traversable();
        _instances = new TempDir().Traversable();
        _driver = TestLibvirt.Driver(_instances.Path, new LocalImageFetcher(await TinyVm.ImageFilesAsync()), TinyVm.Cmdline);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        try
        {
            foreach (var name in _spawned)
            {
                await _driver.DestroyAsync(name, default);
            }
            await _driver.DisposeAsync();
        }
        finally
        {
            await _tgt.DisposeAsync();
            _instances.Dispose();
            _dir.Dispose();
        }
    }

    [Test]
    public async Task A_hot_attached_volume_shows_in_the_guest_with_its_serial_keeps_its_data_across_detach_and_reattach()
    {
        var volume = await ExportAsync(64);
        var name = await BootAsync($"volume-write={volume.VolumeUuid[..8]}:{Pattern}");

        var clock = Stopwatch.StartNew();
        await _driver.AttachVolumeAsync(name, new VolumeDisk(volume, "vdb"), default);
        var disk = await ConsoleLineAsync(name, $"serial={volume.VolumeUuid[..20]} size={64L << 20}");
        TestContext.Out.WriteLine($"attach → visible in the guest: {clock.Elapsed.TotalSeconds:0.00} s");
        var dev = disk.Split(' ')[2];
        (await ConsoleLineAsync(name, $"disk {dev} head=")).Should().EndWith("hex=" + new string('0', 64), "a new volume reads back zeros");
        await ConsoleLineAsync(name, $"disk {dev} wrote");
        (await SecretsAsync()).Should().Contain(volume.VolumeUuid);

        await _driver.DetachVolumeAsync(name, volume.VolumeUuid, default);

        // The detach returned only once the guest had let go.
        (await TestLibvirt.VirshAsync("dumpxml", name)).Should().NotContain(volume.VolumeUuid);
        await ConsoleLineAsync(name, $"disk {dev} removed");
        (await SecretsAsync()).Should().NotContain(volume.VolumeUuid, "the CHAP secret goes with the disk");

        await _driver.AttachVolumeAsync(name, new VolumeDisk(volume, "vdc"), default);
        await ConsoleLineAsync(name, $"head={Pattern}", count: 1);
        (await _driver.GetConsoleOutputAsync(name, default)).Should().NotContain(ChapPassword);
    }

    [Test]
    public async Task A_volume_in_the_definition_is_the_guests_disk_from_boot_and_a_wrong_chap_secret_is_refused()
    {
        var volume = await ExportAsync(32);
        var name = await BootAsync(null, new VolumeDisk(volume, "vdb"));

        await ConsoleLineAsync(name, $"serial={volume.VolumeUuid[..20]} size={32L << 20}");

        var other = await ExportAsync(32);
        var wrong = () => _driver.AttachVolumeAsync(name, new VolumeDisk(other with { AuthPassword = "not-the-secret" }, "vdc"), default);
        (await wrong.Should().ThrowAsync<LibvirtException>()).Which.Message.Should().NotContain("not-the-secret");
        (await TestLibvirt.VirshAsync("dumpxml", name)).Should().NotContain(other.VolumeUuid, "a refused disk is not left in the domain");
    }

    /// <summary>Benchmark (run by hand): sequential O_DIRECT dd in the guest on an attached volume, and the same on the backing file on the host.</summary>
    [Test]
    [Explicit("benchmark")]
    public async Task Benchmark_sequential_io_in_the_guest_on_an_attached_volume()
    {
        const int Mb = 64;
        var volume = await ExportAsync(Mb + 8);
        var name = await BootAsync($"volume-bench={volume.VolumeUuid[..8]}:{Mb}");
        var clock = Stopwatch.StartNew();
        await _driver.AttachVolumeAsync(name, new VolumeDisk(volume, "vdb"), default);
        await ConsoleLineAsync(name, $"serial={volume.VolumeUuid[..20]}");
        var visible = clock.Elapsed;
        var bench = await ConsoleLineAsync(name, "bench write_mb_s=");
        var host = await HostDdAsync(Path.Combine(_dir.Path, $"{volume.VolumeUuid}.img"), Mb);
        TestContext.Out.WriteLine($"attach → visible: {visible.TotalSeconds:0.00} s; guest ({Mb} MiB, O_DIRECT over iSCSI, TCG): {bench[(bench.IndexOf("bench", StringComparison.Ordinal) + 6)..]}; host file: {host}");
    }

    private async Task<VolumeConnection> ExportAsync(int sizeMb)
    {
        var uuid = Guid.NewGuid().ToString();
        var tid = Interlocked.Increment(ref _tids);
        var iqn = $"iqn.2010-10.org.openstack:volattach-{tid:x8}";
        var backing = Path.Combine(_dir.Path, $"{uuid}.img");
        await using (var file = File.Create(backing))
        {
            file.SetLength((long)sizeMb << 20);
        }
        await _tgt.AdmOkAsync("--op", "new", "--mode", "target", "--tid", $"{tid}", "-T", iqn);
        await _tgt.AdmOkAsync("--op", "new", "--mode", "logicalunit", "--tid", $"{tid}", "--lun", "1", "-b", backing);
        if (tid == 1)
        {
            await _tgt.AdmOkAsync("--op", "new", "--mode", "account", "--user", ChapUser, "--password", ChapPassword);
        }
        await _tgt.AdmOkAsync("--op", "bind", "--mode", "account", "--tid", $"{tid}", "--user", ChapUser);
        await _tgt.AdmOkAsync("--op", "bind", "--mode", "target", "--tid", $"{tid}", "-I", "ALL");
        return new VolumeConnection(uuid, _tgt.Portal, iqn, 1, "CHAP", ChapUser, ChapPassword);
    }

    private async Task<string> BootAsync(string? userData, params VolumeDisk[] volumes)
    {
        var spec = TinyVm.Spec() with
        {
            ConfigDrive = true,
            UserData = userData is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(userData + "\n")),
            Volumes = volumes,
        };
        _spawned.Add(spec.Name);
        await _driver.SpawnAsync(spec, default);
        await TinyVm.ReadyAsync(_driver, spec.Name);
        return spec.Name;
    }

    /// <summary>The first console line (TINYVM marker lines) containing <paramref name="text"/>, once it is there.</summary>
    private async Task<string> ConsoleLineAsync(string name, string text, int count = 1)
    {
        string? line = null;
        try
        {
            await Poller.UntilAsync(async () =>
            {
                var lines = (await _driver.GetConsoleOutputAsync(name, default)).Split('\n').Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();
                line = lines.Count >= count ? lines[count - 1].TrimEnd('\r') : null;
                return line is not null;
            }, TinyVm.Boot, $"'{text}' on {name}'s console");
        }
        catch (TimeoutException e)
        {
            var markers = (await _driver.GetConsoleOutputAsync(name, default)).Split('\n').Where(l => l.Contains("TINYVM", StringComparison.Ordinal));
            throw new TimeoutException($"{e.Message}; the guest printed:\n{string.Join('\n', markers)}", e);
        }
        return line!;
    }

    private static async Task<string> SecretsAsync() => await TestLibvirt.VirshAsync("secret-list");

    private static async Task<string> HostDdAsync(string file, int mb)
    {
        var dir = Path.GetDirectoryName(file)!;
        var write = await ExternalTool.RunAsync("dd", ["if=/dev/zero", $"of={file}", "bs=1M", $"count={mb}", "oflag=direct", "conv=notrunc"], dir);
        var read = await ExternalTool.RunAsync("dd", [$"if={file}", "of=/dev/null", "bs=1M", $"count={mb}", "iflag=direct"], dir);
        static string Rate(ToolRun run) => run.Stderr.Split('\n').LastOrDefault(l => l.Contains("copied", StringComparison.Ordinal))?.Split(',')[^1].Trim() ?? "?";
        return $"write {Rate(write)}, read {Rate(read)}";
    }
}
