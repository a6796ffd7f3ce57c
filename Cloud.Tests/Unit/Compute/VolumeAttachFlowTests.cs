using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Drivers.Fake;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute;

/// <summary>
/// The compute side of volumes end to end in one process (ComputeApi, the compute manager with InstanceVolumes on the
/// fake driver, VolumeApi on SQLite, a fake volume host): attach, detach, boot with block device mappings, terminate,
/// and what is refused or undone.
/// </summary>
public sealed class VolumeAttachFlowTests
{
    private const string ComputeHost = "cmp1";
    private const string VolumeHost = "vol1";
    private SqliteHarness _db = null!;
    private ComputeTestCloud _cloud = null!;
    private RecordingComputeDriver _driver = null!;
    private FakeVolumeHost _volumeHost = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _db = new SqliteHarness();
        _cloud = await ComputeTestCloud.StartAsync(_db.Db);
        _driver = new RecordingComputeDriver(new FakeComputeDriver(new FakeDriverFlags()));
        await _cloud.AddHostAsync(ComputeHost, _driver);
        _volumeHost = await _cloud.AddFakeVolumeHostAsync(VolumeHost);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _cloud.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task A_volume_attached_to_a_running_instance_becomes_in_use_on_the_next_free_device()
    {
        var instance = await RunningAsync();
        var volume = await _cloud.AvailableVolumeAsync(_cloud.Alice, VolumeHost);

        var device = await _cloud.Compute.AttachVolumeAsync(_cloud.Alice, instance.Uuid, volume.Uuid, null, default);

        device.Should().Be("/dev/vdb");
        var attached = await StatusAsync(volume.Uuid, VolumeStatuses.InUse);
        (attached.InstanceUuid, attached.AttachedHost, attached.Mountpoint).Should().Be((instance.Uuid, ComputeHost, "/dev/vdb"));
        var disk = Disks(instance).Should().ContainSingle().Subject;
        (disk.TargetDev, disk.Serial, disk.Connection.AuthPassword).Should().Be(("vdb", volume.Uuid, FakeVolumeHost.Password));
        _volumeHost.Calls.Should().Contain($"initialize {volume.Uuid} {ComputeHost}");
        (await _cloud.Compute.VolumesOfAsync(_cloud.Alice, instance.Uuid, default)).Select(v => v.Uuid).Should().Equal(volume.Uuid);
    }

    [Test]
    public async Task A_detached_volume_is_available_again_and_gone_from_the_domain()
    {
        var instance = await RunningAsync();
        var volume = await _cloud.AvailableVolumeAsync(_cloud.Alice, VolumeHost);
        await _cloud.Compute.AttachVolumeAsync(_cloud.Alice, instance.Uuid, volume.Uuid, "/dev/vdc", default);
        await StatusAsync(volume.Uuid, VolumeStatuses.InUse);

        await _cloud.Compute.DetachVolumeAsync(_cloud.Alice, instance.Uuid, volume.Uuid, default);

        var detached = await StatusAsync(volume.Uuid, VolumeStatuses.Available);
        detached.InstanceUuid.Should().BeNull();
        Disks(instance).Should().BeEmpty();
        await Poller.UntilAsync(() => Task.FromResult(_volumeHost.Calls.Contains($"terminate {volume.Uuid} {ComputeHost}")), TimeSpan.FromSeconds(10), "terminate_connection");
    }

    [Test]
    public async Task A_failed_attach_leaves_nothing_half_attached()
    {
        var instance = await RunningAsync();
        var volume = await _cloud.AvailableVolumeAsync(_cloud.Alice, VolumeHost);
        _driver.FailVolumeAttachWith = "internal error: unable to execute QEMU command 'blockdev-add'";

        await _cloud.Compute.AttachVolumeAsync(_cloud.Alice, instance.Uuid, volume.Uuid, null, default);

        (await StatusAsync(volume.Uuid, VolumeStatuses.Available)).InstanceUuid.Should().BeNull();
        Disks(instance).Should().BeEmpty();
        (await _cloud.Compute.GetAsync(_cloud.Alice, instance.Uuid, default)).VmState.Should().Be(VmStates.Active, "a failed attach does not break the instance");
    }

    [Test]
    public async Task Attach_is_refused_for_a_volume_in_use_a_device_in_use_and_another_projects_volume_or_instance()
    {
        var instance = await RunningAsync();
        var volume = await _cloud.AvailableVolumeAsync(_cloud.Alice, VolumeHost);
        var other = await _cloud.AvailableVolumeAsync(_cloud.Alice, VolumeHost);
        var bobs = await _cloud.AvailableVolumeAsync(_cloud.Bob, VolumeHost);
        await _cloud.Compute.AttachVolumeAsync(_cloud.Alice, instance.Uuid, volume.Uuid, "/dev/vdb", default);

        await RefusedAsync(() => _cloud.Compute.AttachVolumeAsync(_cloud.Alice, instance.Uuid, volume.Uuid, null, default), CloudErrorKind.Invalid, "Invalid volume: volume status must be available");
        await RefusedAsync(() => _cloud.Compute.AttachVolumeAsync(_cloud.Alice, instance.Uuid, other.Uuid, "/dev/vdb", default), CloudErrorKind.Conflict, "The supplied device path (/dev/vdb) is in use.");
        await RefusedAsync(() => _cloud.Compute.AttachVolumeAsync(_cloud.Alice, instance.Uuid, other.Uuid, "/dev/hdx", default), CloudErrorKind.Invalid, "The supplied device path (/dev/hdx) is invalid.");
        await RefusedAsync(() => _cloud.Compute.AttachVolumeAsync(_cloud.Alice, instance.Uuid, bobs.Uuid, null, default), CloudErrorKind.NotFound, $"Volume {bobs.Uuid} could not be found.");
        await RefusedAsync(() => _cloud.Compute.AttachVolumeAsync(_cloud.Bob, instance.Uuid, bobs.Uuid, null, default), CloudErrorKind.NotFound, $"Instance {instance.Uuid} could not be found.");
        (await _cloud.Volumes.GetAsync(_cloud.Alice, other.Uuid, default)).Status.Should().Be(VolumeStatuses.Available);
        (await _cloud.Volumes.GetAsync(_cloud.Bob, bobs.Uuid, default)).Status.Should().Be(VolumeStatuses.Available);
    }

    [Test]
    public async Task Attach_to_an_instance_that_is_still_building_is_a_conflict_in_novas_words()
    {
        var building = await RunningAsync();
        await _cloud.Store.SetStatesAsync(building.Uuid, VmStates.Building, null, PowerState.NoState, default);
        var volume = await _cloud.AvailableVolumeAsync(_cloud.Alice, VolumeHost);

        await RefusedAsync(() => _cloud.Compute.AttachVolumeAsync(_cloud.Alice, building.Uuid, volume.Uuid, null, default), CloudErrorKind.Conflict,
            $"Cannot 'attach_volume' instance {building.Uuid} while it is in vm_state building");
    }

    [Test]
    public async Task A_volume_attached_elsewhere_cannot_be_detached_through_another_instance_nor_deleted()
    {
        var instance = await RunningAsync();
        var second = await RunningAsync();
        var volume = await _cloud.AvailableVolumeAsync(_cloud.Alice, VolumeHost);
        await _cloud.Compute.AttachVolumeAsync(_cloud.Alice, instance.Uuid, volume.Uuid, null, default);
        await StatusAsync(volume.Uuid, VolumeStatuses.InUse);

        await RefusedAsync(() => _cloud.Compute.DetachVolumeAsync(_cloud.Alice, second.Uuid, volume.Uuid, default), CloudErrorKind.NotFound, $"No volume Block Device Mapping with id {volume.Uuid}.");
        await RefusedAsync(() => _cloud.Volumes.DeleteAsync(_cloud.Alice, volume.Uuid, default), CloudErrorKind.Invalid, "Invalid volume");
        (await _cloud.Volumes.GetAsync(_cloud.Alice, volume.Uuid, default)).Status.Should().Be(VolumeStatuses.InUse);
    }

    [Test]
    public async Task An_instance_boots_with_its_mapped_volumes_and_gives_them_back_when_terminated()
    {
        var root = await _cloud.AvailableVolumeAsync(_cloud.Alice, VolumeHost);
        var data = await _cloud.AvailableVolumeAsync(_cloud.Alice, VolumeHost);
        var request = new CreateInstancesRequest("", "m1.tiny", 1, 1)
        {
            BlockDeviceMappings = [new BlockDeviceMapping(data.Uuid, null, null, DeleteOnTermination: true), new BlockDeviceMapping(root.Uuid, null, 0, false)],
        };

        var instance = (await _cloud.SettledAsync(_cloud.Alice, await _cloud.Compute.CreateAsync(_cloud.Alice, request, default)))[0];

        instance.VmState.Should().Be(VmStates.Active);
        var spec = _driver.Spawned.Should().ContainSingle().Subject;
        spec.Volumes!.Select(v => (v.Serial, v.TargetDev, v.BootIndex)).Should().BeEquivalentTo([(root.Uuid, "vda", (int?)0), (data.Uuid, "vdb", (int?)null)]);
        spec.RootVolume!.Serial.Should().Be(root.Uuid);
        (await StatusAsync(root.Uuid, VolumeStatuses.InUse)).Mountpoint.Should().Be("/dev/vda");
        (await StatusAsync(data.Uuid, VolumeStatuses.InUse)).Mountpoint.Should().Be("/dev/vdb");
        await RefusedAsync(() => _cloud.Compute.DetachVolumeAsync(_cloud.Alice, instance.Uuid, root.Uuid, default), CloudErrorKind.Invalid, "Cannot detach a root device volume");

        await _cloud.Compute.TerminateAsync(_cloud.Alice, instance.Uuid, default);

        await StatusAsync(root.Uuid, VolumeStatuses.Available);
        await StatusAsync(data.Uuid, VolumeStatuses.Deleting);
    }

    [Test]
    public async Task A_failed_boot_gives_its_volumes_back()
    {
        var data = await _cloud.AvailableVolumeAsync(_cloud.Alice, VolumeHost);
        _driver.FailSpawnWith = "qemu died";

        var created = await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-1", "m1.tiny", 1, 1) { BlockDeviceMappings = [new BlockDeviceMapping(data.Uuid, "/dev/vdc", null, false)] }, default);

        (await _cloud.SettledAsync(_cloud.Alice, created))[0].VmState.Should().Be(VmStates.Error);
        (await StatusAsync(data.Uuid, VolumeStatuses.Available)).InstanceUuid.Should().BeNull();
    }

    [Test]
    public async Task Bad_block_device_mappings_are_refused_before_anything_is_made()
    {
        var volume = await _cloud.AvailableVolumeAsync(_cloud.Alice, VolumeHost);
        var bobs = await _cloud.AvailableVolumeAsync(_cloud.Bob, VolumeHost);
        var unknown = Guid.NewGuid().ToString();

        await RefusedAsync(() => CreateWithAsync(new BlockDeviceMapping(bobs.Uuid, null, null, false)), CloudErrorKind.Invalid, $"Block Device Mapping is Invalid: failed to get volume {bobs.Uuid}.");
        await RefusedAsync(() => CreateWithAsync(new BlockDeviceMapping(unknown, null, null, false)), CloudErrorKind.Invalid, $"Block Device Mapping is Invalid: failed to get volume {unknown}.");
        await RefusedAsync(() => CreateWithAsync(new BlockDeviceMapping(volume.Uuid, null, 0, false), new BlockDeviceMapping(volume.Uuid, "/dev/vdb", null, false)), CloudErrorKind.Invalid, "mapped more than once");
        await RefusedAsync(() => _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-1", "m1.tiny", 2, 2) { BlockDeviceMappings = [new BlockDeviceMapping(volume.Uuid, null, null, false)] }, default),
            CloudErrorKind.Invalid, "Cannot attach one or more volumes to multiple instances");
        await RefusedAsync(() => _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("", "m1.tiny", 1, 1) { BlockDeviceMappings = [new BlockDeviceMapping(volume.Uuid, null, null, false)] }, default),
            CloudErrorKind.Invalid, "An image is required.");

        (await _cloud.Compute.ListAsync(_cloud.Alice, false, default)).Should().BeEmpty();
        (await _cloud.Volumes.GetAsync(_cloud.Alice, volume.Uuid, default)).Status.Should().Be(VolumeStatuses.Available);
    }

    private Task CreateWithAsync(params BlockDeviceMapping[] mappings) =>
        _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-1", "m1.tiny", 1, 1) { BlockDeviceMappings = mappings }, default);

    private async Task<Instance> RunningAsync()
    {
        var created = await _cloud.Compute.CreateAsync(_cloud.Alice, new CreateInstancesRequest("ami-1", "m1.tiny", 1, 1), default);
        var instance = (await _cloud.SettledAsync(_cloud.Alice, created))[0];
        instance.VmState.Should().Be(VmStates.Active);
        return instance;
    }

    private IReadOnlyList<Cloud.Modules.Compute.Drivers.VolumeDisk> Disks(Instance instance) => _driver.VolumesOf(instance.Name);

    private async Task<VolumeInfo> StatusAsync(string uuid, string status)
    {
        VolumeInfo volume = null!;
        await Poller.UntilAsync(async () => (volume = await _cloud.Volumes.GetAsync(_cloud.Alice, uuid, default)).Status == status, TimeSpan.FromSeconds(10), $"volume {uuid} {status}");
        return volume;
    }

    private static async Task RefusedAsync(Func<Task> act, CloudErrorKind kind, string message) =>
        (await act.Should().ThrowAsync<CloudException>()).Which.Should().Match<CloudException>(e => e.Kind == kind && e.Message.Contains(message));
}
