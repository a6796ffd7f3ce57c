using System.Diagnostics;
using System.Xml.Linq;
using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Kernel.DiskImages;
using Cloud.Modules.Network;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The libvirt driver against the machine's real libvirtd through libvirt-dbus, booting the project's test image
/// under TCG: domains are named instance-7fXXXXXX (never anyone else's), NICs join a bridge cldlv0 without any
/// address (no DHCP), and every domain and file is removed in teardown.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class LibvirtDriverTests
{
    private const string Bridge = "cldlv0";
    private const string Cmdline = TinyVm.Cmdline;
    private static readonly TimeSpan Boot = TinyVm.Boot;

    private readonly List<(LibvirtComputeDriver Driver, string Name)> _spawned = [];
    private readonly List<LibvirtComputeDriver> _drivers = [];
    private TempDir _instances = null!;
    private Dictionary<string, (string, string)> _imageFiles = null!;
    private bool _bridgeCreated;

    [OneTimeSetUp]
    public async Task RequireLibvirtAsync()
    {
        await TestLibvirt.RequireAsync();
        _imageFiles = await TinyVm.ImageFilesAsync();
        if (!Directory.Exists($"/sys/class/net/{Bridge}"))
        {
            await IpAsync("link", "add", Bridge, "type", "bridge");
            _bridgeCreated = true;
        }
        await IpAsync("link", "set", Bridge, "up");
    }

    [OneTimeTearDown]
    public async Task DeleteBridgeAsync()
    {
        if (_bridgeCreated)
        {
            await IpAsync("link", "del", Bridge);
        }
    }

    [SetUp]
    public void MakeInstancesPath() => _instances = new TempDir().Traversable();

    [TearDown]
    public async Task DestroyEverythingAsync()
    {
        var spawned = _spawned.ToList();
        var drivers = _drivers.ToList();
        _spawned.Clear();
        _drivers.Clear();
        try
        {
            foreach (var (driver, name) in spawned)
            {
                await driver.DestroyAsync(name, default);
            }
        }
        finally
        {
            foreach (var driver in drivers)
            {
                await driver.DisposeAsync();
            }
            _instances.Dispose();
        }
    }

    [Test]
    public async Task A_spawned_instance_boots_under_its_name_reboots_stops_starts_and_is_destroyed_with_its_files()
    {
        var driver = Driver();
        var spec = Spec();

        var clock = Stopwatch.StartNew();
        await SpawnAsync(driver, spec);
        var spawned = clock.Elapsed;
        await BootedAsync(driver, spec.Name, 1);
        TestContext.Progress.WriteLine($"libvirt driver: spawn (image cache, overlay, define, start) {spawned.TotalSeconds:0.00}s, start -> TINYVM: BOOTED {(clock.Elapsed - spawned).TotalSeconds:0.00}s");

        (await VirshAsync("list", "--name")).Should().Contain(spec.Name);
        (await driver.GetHostCapacityAsync(default)).Vcpus.Should().Be(Environment.ProcessorCount, "libvirt offers the host's CPUs");
        var files = InstanceFiles.Of(_instances.Path, spec.Name);
        new[] { files.Kernel, files.Ramdisk, files.Disk, files.ConsoleLog, files.DomainXml }.Should().OnlyContain(f => File.Exists(f));
        (await QemuImgInfoAsync(files.Disk)).Should().Contain("backing file: " + Path.Combine(_instances.Path, "_base"));
        await ReadyAsync(driver, spec.Name);

        await driver.RebootAsync(spec.Name, hard: true, default);
        await BootedAsync(driver, spec.Name, 2);
        await ReadyAsync(driver, spec.Name, 2);
        await driver.RebootAsync(spec.Name, hard: false, default);
        await BootedAsync(driver, spec.Name, 3);
        await ReadyAsync(driver, spec.Name, 3);

        clock.Restart();
        await driver.PowerOffAsync(spec.Name, default);
        TestContext.Progress.WriteLine($"libvirt driver: ACPI power off {clock.Elapsed.TotalSeconds:0.00}s");
        (await driver.GetConsoleOutputAsync(spec.Name, default)).Should().Contain("TINYVM: poweroff reason=acpi");
        (await VirshAsync("list", "--name", "--all")).Should().Contain(spec.Name, "a stopped instance stays defined");
        await driver.PowerOnAsync(spec.Name, default);
        await BootedAsync(driver, spec.Name, 1);

        await driver.DestroyAsync(spec.Name, default);

        (await VirshAsync("list", "--name", "--all")).Should().NotContain(spec.Name);
        Directory.Exists(files.Directory).Should().BeFalse();
    }

    [Test]
    public async Task Warming_up_has_libvirt_probe_the_emulator_domains_are_defined_for()
    {
        await Driver().WarmUpAsync(default);

        await using var libvirt = new LibvirtDbus("/org/libvirt/QEMU", NullLogger.Instance);
        var capabilities = XElement.Parse(await libvirt.GetDomainCapabilitiesAsync(DomainXml.Arch, DomainXml.Machine, "qemu", default));
        (capabilities.Element("domain")?.Value, capabilities.Element("arch")?.Value).Should().Be(("qemu", DomainXml.Arch));
        capabilities.Element("path")?.Value.Should().EndWith("qemu-system-x86_64", "the binary the first define would otherwise probe");
    }

    [Test]
    public async Task The_nic_joins_the_bridge_with_its_mac_and_devices_hot_plug()
    {
        var driver = Driver();
        var spec = Spec() with { Network = Nic(Bridge) };

        await SpawnAsync(driver, spec);
        await BootedAsync(driver, spec.Name, 1);

        await Poller.UntilAsync(async () => (await driver.GetConsoleOutputAsync(spec.Name, default)).Contains("TINYVM: nic eth0 mac=52:54:00:7f:00:01"), Boot, "the guest to see its NIC");
        (await IpOutputAsync("link", "show", "master", Bridge)).Should().Contain(DomainXml.TapName(spec.Uuid));
        var disk = Path.Combine(_instances.Path, "hot.raw");
        await File.WriteAllBytesAsync(disk, new byte[1 << 20]);
        var diskXml = $"<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='{disk}'/><target dev='vdb' bus='virtio'/><serial>hot-1</serial></disk>";
        await driver.AttachDeviceAsync(spec.Name, diskXml, default);
        await Poller.UntilAsync(async () => (await driver.GetConsoleOutputAsync(spec.Name, default)).Contains("serial=hot-1"), Boot, "the guest to see the hot-plugged disk");
        await driver.DetachDeviceAsync(spec.Name, diskXml, default);
        await Poller.UntilAsync(async () => !(await VirshAsync("domblklist", spec.Name)).Contains("hot.raw"), Boot, "the disk to be unplugged");
    }

    [Test]
    public async Task A_guest_that_powers_itself_off_is_reported_by_a_domain_event()
    {
        var driver = Driver(Cmdline + " tinyvm.poweroff=1");
        var spec = Spec();
        var events = new List<InstanceStateChange>();
        driver.InstanceStateChanged += (_, change) =>
        {
            lock (events)
            {
                events.Add(change);
            }
        };

        await SpawnAsync(driver, spec);

        await Poller.UntilAsync(() =>
        {
            lock (events)
            {
                return events.Contains(new InstanceStateChange(spec.Uuid, PowerState.Shutdown));
            }
        }, Boot, "the stopped event of the guest that powered itself off");
        lock (events)
        {
            events.Should().Contain(new InstanceStateChange(spec.Uuid, PowerState.Running));
        }
        (await driver.GetInfoAsync(spec.Name, default))!.State.Should().Be(PowerState.Shutdown);
        (await driver.GetConsoleOutputAsync(spec.Name, default)).Should().Contain("TINYVM: poweroff reason=cmdline");
    }

    [Test]
    public async Task A_libvirt_error_surfaces_with_libvirts_message_and_leaves_nothing_behind()
    {
        var driver = Driver();
        var spec = Spec() with { Network = Nic("cldlv-nothere") };

        var spawn = () => driver.SpawnAsync(spec, default);

        var error = (await spawn.Should().ThrowAsync<LibvirtException>()).Which;
        error.Message.Should().Contain("cldlv-nothere");
        TestContext.Progress.WriteLine($"libvirt error as the instance fault will show it: {error.Message}");
        (await VirshAsync("list", "--name", "--all")).Should().NotContain(spec.Name);
        Directory.Exists(InstanceFiles.Of(_instances.Path, spec.Name).Directory).Should().BeFalse();
    }

    [Test]
    public async Task A_missing_image_fails_the_spawn_with_the_image_id_and_concurrent_spawns_fetch_the_image_once()
    {
        var driver = Driver();
        var missing = () => driver.SpawnAsync(Spec() with { ImageRef = "ami-gone" }, default);
        await missing.Should().ThrowAsync<InvalidOperationException>().WithMessage("Image ami-gone not found in glance");

        // A cache of its own: the failed spawn above fetched the image's other parts (ramdisk among them) beside the
        // missing disk, so the shared instances path already holds ari-tinyvm.
        using var own = new TempDir();
        var images = new LocalImageFetcher(_imageFiles);
        var cache = new BaseImageCache(own.Path, images);
        var paths = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => cache.EnsureAsync("ari-tinyvm", Spec(), default)));

        paths.Select(p => p.Path).Distinct().Should().ContainSingle().Which.Should().Be(cache.PathOf("ari-tinyvm"));
        images.Fetches.Should().Be(1);
        Directory.EnumerateFiles(cache.Directory).Should().ContainSingle("no temporary file is left behind");
    }

    private LibvirtComputeDriver Driver(string cmdline = Cmdline)
    {
        var driver = TestLibvirt.Driver(_instances.Path, new LocalImageFetcher(_imageFiles), cmdline);
        _drivers.Add(driver);
        return driver;
    }

    private async Task SpawnAsync(LibvirtComputeDriver driver, InstanceSpec spec)
    {
        _spawned.Add((driver, spec.Name));
        await driver.SpawnAsync(spec, default);
    }

    private static InstanceSpec Spec() => TinyVm.Spec();

    private static InstanceNetwork Nic(string bridge) =>
        new(bridge, null, "10.127.0.2", "52:54:00:7f:00:01", "10.127.0.0/24", "255.255.255.0", "10.127.0.1", "10.127.0.255", null);

    private static Task BootedAsync(LibvirtComputeDriver driver, string name, int count) => TinyVm.BootedAsync(driver, name, count);

    private static Task ReadyAsync(LibvirtComputeDriver driver, string name, int count = 1) => TinyVm.ReadyAsync(driver, name, count);

    private static Task<string> VirshAsync(params string[] args) => TestLibvirt.VirshAsync(args);

    private static async Task<string> QemuImgInfoAsync(string path) =>
        (await ExternalTool.RunAsync("/usr/bin/qemu-img", ["info", "-U", path], Path.GetTempPath())).Stdout;

    private static async Task IpAsync(params string[] args) => await IpOutputAsync(args);

    private static async Task<string> IpOutputAsync(params string[] args)
    {
        var run = await ExternalTool.RunAsync("/usr/sbin/ip", args, Path.GetTempPath());
        run.ExitCode.Should().Be(0, run.ToString());
        return run.Stdout;
    }
}
