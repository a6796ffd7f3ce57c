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
    private ComputeManager _manager = null!;

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
        _manager = await _cloud.AddHostAsync("lv1", _driver);
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

    [Test]
    public async Task A_paused_and_a_suspended_guest_keep_their_state_through_the_power_sync_and_each_step_is_an_event()
    {
        var created = (await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-image", "m1.tiny", 1, 1), default))[0];
        var instance = (await _cloud.SettledAsync(_cloud.Alice, [created]))[0];
        _name = instance.Name;

        await _cloud.Guests.PauseAsync(_cloud.Alice, instance, default);
        var paused = await SettledInAsync(instance.Uuid, VmStates.Paused);
        (await TestLibvirt.VirshAsync("domstate", instance.Name)).Trim().Should().Be("paused");
        await _manager.RunPeriodicTasksAsync(default);
        (await _cloud.Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).VmState.Should().Be(VmStates.Paused);
        paused.PowerState.Should().Be(PowerState.Paused);

        await _cloud.Guests.UnpauseAsync(_cloud.Alice, paused, default);
        var active = await SettledInAsync(instance.Uuid, VmStates.Active);
        await _cloud.Guests.SuspendAsync(_cloud.Alice, active, default);
        var suspended = await SettledInAsync(instance.Uuid, VmStates.Suspended);
        (await TestLibvirt.VirshAsync("domstate", instance.Name)).Trim().Should().Be("shut off");
        await _manager.RunPeriodicTasksAsync(default);
        (await _cloud.Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).VmState.Should().Be(VmStates.Suspended);

        await _cloud.Guests.ResumeAsync(_cloud.Alice, suspended, default);
        (await SettledInAsync(instance.Uuid, VmStates.Active)).PowerState.Should().Be(PowerState.Running);
        var actions = await _cloud.Actions.ListAsync(instance.Uuid, null, null, default);
        actions.Select(a => a.Action).Should().Equal("resume", "suspend", "unpause", "pause", "create");
        var events = await _cloud.Actions.EventsAsync(actions[1], default);
        events.Select(e => (e.Event, e.Result)).Should().Equal(("compute_suspend_instance", "Success"));

        await _cloud.Guests.SuspendAsync(_cloud.Alice, await SettledInAsync(instance.Uuid, VmStates.Active), default);
        await SettledInAsync(instance.Uuid, VmStates.Suspended);
        await _cloud.Compute.TerminateAsync(_cloud.Alice, instance.Uuid, default);
        await Poller.UntilAsync(async () => (await _cloud.Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).Deleted, TimeSpan.FromSeconds(60), "terminate of a suspended instance");
        (await TestLibvirt.VirshAsync("list", "--name", "--all")).Should().NotContain(instance.Name);
    }

    private async Task<Instance> SettledInAsync(string uuid, string vmState)
    {
        Instance? now = null;
        await Poller.UntilAsync(async () => (now = await _cloud.Compute.GetAsync(_cloud.Alice, uuid, default)) is { TaskState: null } && now.VmState == vmState,
            TimeSpan.FromSeconds(60), $"instance {uuid} to be {vmState} (is {now?.VmState}/{now?.TaskState})");
        return now!;
    }
}
