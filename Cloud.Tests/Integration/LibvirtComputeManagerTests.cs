using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Tests.Support;
using Dapper;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The compute manager on the real libvirt driver (SQLite, in-process bus): an instance becomes a running domain,
/// a domain stopped behind the cloud's back is recorded at once from libvirt's event, and terminate removes it.
/// Instance ids start at 0x7f000000 and up so the domains never collide with anyone else's.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class LibvirtComputeManagerTests
{
    private SqliteHarness _harness = null!;
    private ComputeTestCloud _cloud = null!;
    private TempDir _instances = null!;
    private LibvirtComputeDriver _driver = null!;
    private string? _name;

    [SetUp]
    public async Task StartAsync()
    {
        await TestLibvirt.RequireAsync();
        var images = await TestLibvirt.ImageDirAsync();
        _harness = new SqliteHarness();
        _cloud = await ComputeTestCloud.StartAsync(_harness.Db);
        await using (var c = await _harness.Db.OpenAsync(default))
        {
            await c.ExecuteAsync("INSERT INTO sqlite_sequence (name, seq) VALUES ('instances', @Seq)", new { Seq = 0x7f000000 + Random.Shared.Next(0xffff00) });
        }
        _instances = new TempDir();
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(_instances.Path, (UnixFileMode)0b111_101_101);
        }
        var fetcher = new LocalImageFetcher(new Dictionary<string, (string, string)> { ["ami-image"] = (Path.Combine(images, "rootfs.qcow2"), "qcow2") });
        _driver = new LibvirtComputeDriver(new LibvirtDbus("/org/libvirt/QEMU", NullLogger.Instance), new BaseImageCache(_instances.Path, fetcher),
            _instances.Path, "qemu", new LibvirtFlags { ShutdownTimeout = 0 }, NullLogger<LibvirtComputeDriver>.Instance);
        await _cloud.AddHostAsync("lv1", _driver);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_driver is not null)
        {
            if (_name is not null)
            {
                await _driver.DestroyAsync(_name, default);
            }
            await _driver.DisposeAsync();
        }
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
        _instances?.Dispose();
    }

    [Test]
    public async Task A_domain_stopped_behind_the_clouds_back_stops_the_instance_at_once_and_terminate_removes_it()
    {
        var created = (await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.tiny", 1, 1), default))[0];
        var instance = (await _cloud.SettledAsync(_cloud.Alice, [created]))[0];
        _name = instance.Name;
        (instance.VmState, instance.PowerState, instance.FaultMessage).Should().Be((VmStates.Active, PowerState.Running, null));
        (await TestLibvirt.VirshAsync("list", "--name")).Should().Contain(instance.Name);

        await TestLibvirt.VirshAsync("destroy", instance.Name);

        await Poller.UntilAsync(async () => (await _cloud.Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).VmState == VmStates.Stopped,
            TimeSpan.FromSeconds(30), "the stopped domain event to stop the instance (no periodic sync runs here)");
        (await _cloud.Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).PowerState.Should().Be(PowerState.Shutdown);

        await _cloud.Compute.TerminateAsync(_cloud.Alice, instance.Uuid, default);
        await Poller.UntilAsync(async () => (await _cloud.Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).Deleted, TimeSpan.FromSeconds(60), "terminate");
        (await TestLibvirt.VirshAsync("list", "--name", "--all")).Should().NotContain(instance.Name);
        Directory.Exists(InstanceFiles.Of(_instances.Path, instance.Name).Directory).Should().BeFalse();
    }
}
