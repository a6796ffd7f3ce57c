using Cloud.Modules.Volume;
using Cloud.Modules.Volume.Db;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Volume;

/// <summary>
/// VolumeManager on SQLite with test doubles of the backing store and the target: failures undo what was made and say
/// why, redelivered messages change nothing, stuck transitional states are ended, and the heartbeat reports capacity.
/// </summary>
public sealed class VolumeManagerTests
{
    private const string Host = "vol1";
    private SqliteHarness _db = null!;
    private VolumeTestCloud _cloud = null!;
    private RecordingVolumeDriver _driver = null!;
    private RecordingIscsiTargets _targets = null!;
    private VolumeManager _manager = null!;
    private IAsyncDisposable _serving = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _db = new SqliteHarness();
        _cloud = await VolumeTestCloud.StartAsync(_db.Db, new VolumeFlags { IscsiNumTargets = 3, VolumeStateTimeout = 60 });
        _driver = new RecordingVolumeDriver();
        _targets = new RecordingIscsiTargets();
        _manager = _cloud.NewManager(Host, _driver, _targets);
        _serving = await _cloud.StartManagerAsync(Host, _manager);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _serving.DisposeAsync();
        await _cloud.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task A_created_volume_has_a_target_a_chap_account_and_an_export()
    {
        var volume = await CreatedAsync(1);

        volume.Status.Should().Be(VolumeStatuses.Available);
        var export = _targets.Exports.Values.Should().ContainSingle().Subject;
        export.Should().Match<Cloud.Modules.Volume.Drivers.IscsiExport>(e => e.Tid == 1 && e.Iqn == $"iqn.2010-10.org.openstack:volume-{volume.Id:x8}"
            && e.BackingPath == $"/fake/volume-{volume.Id:x8}" && e.ChapUser.Length == 20 && e.ChapPassword.Length == 16);
        export.ToString().Should().NotContain(export.ChapPassword);
        var connection = await _cloud.Api.InitializeConnectionAsync(_cloud.Cloud.Alice, volume.Uuid, "compute1", default);
        connection.Should().Match<VolumeConnection>(c => c.TargetPortal == "127.0.0.1:3260" && c.AuthUsername == export.ChapUser && c.AuthPassword == export.ChapPassword);
        connection.ToString().Should().NotContain(export.ChapPassword);
    }

    [Test]
    public async Task A_failed_export_leaves_the_volume_in_error_with_nothing_made()
    {
        _targets.Down = true;

        var volume = await CreatedAsync(1);

        volume.Status.Should().Be(VolumeStatuses.Error);
        volume.StatusReason.Should().Be($"Volume creation failed on {Host}: tgtd does not answer (test)");
        _driver.Volumes.Should().BeEmpty();
        (await _cloud.Targets.OfVolumeAsync(volume.Id, default)).Should().BeNull();
    }

    [Test]
    public async Task A_failed_backing_store_frees_the_target_number()
    {
        _driver.FailOn = "CreateVolume";

        var failed = await CreatedAsync(1);
        _driver.FailOn = null;
        await _cloud.Api.DeleteAsync(_cloud.Cloud.Alice, failed.Uuid, default);

        failed.StatusReason.Should().Be($"Volume creation failed on {Host}: CreateVolume volume-{failed.Id:x8} failed (test)");
        (await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CreatedAsync(1)))).Should().OnlyContain(v => v.Status == VolumeStatuses.Available,
            "all three target numbers are free again");
    }

    [Test]
    public async Task When_the_host_runs_out_of_target_numbers_the_volume_says_so()
    {
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CreatedAsync(1)));

        var fourth = await CreatedAsync(1);

        fourth.StatusReason.Should().Be($"Volume creation failed on {Host}: no free iSCSI target on {Host} (--iscsi_num_targets=3)");
    }

    [Test]
    public async Task A_redelivered_create_or_delete_does_nothing_twice()
    {
        var volume = await CreatedAsync(1);
        var calls = _driver.Calls.Count;

        await _manager.CreateVolumeAsync(volume.Uuid, default);
        await _cloud.Api.DeleteAsync(_cloud.Cloud.Alice, volume.Uuid, default);
        await Poller.UntilAsync(async () => await _cloud.Store.ByUuidAsync(volume.Uuid, default) is null, TimeSpan.FromSeconds(10), "the volume to be gone");
        await _manager.DeleteVolumeAsync(volume.Uuid, default);

        _driver.Calls.Skip(calls).Should().Equal($"DeleteVolume volume-{volume.Id:x8}");
        _targets.Exports.Should().BeEmpty();
    }

    [Test]
    public async Task Stuck_creating_ends_in_error_and_stuck_deleting_is_retried()
    {
        // Rows written straight to the store: no message ever reaches the manager, as when a host died mid-way.
        var creating = Guid.NewGuid().ToString();
        (await _cloud.Store.InsertWithinQuotaAsync("alice", new NewVolume(creating, _cloud.Cloud.Alice.ProjectId!, "alice", null, null, 1, "nova",
            VolumeInput.DefaultType, null, null, Host, false, new Dictionary<string, string>(), -1, -1), default)).Should().BeTrue();
        var deleting = await CreatedAsync(1);
        (await _cloud.Store.BeginDeleteAsync(deleting.Uuid, [VolumeStatuses.Available], default)).Should().BeTrue();

        await _manager.RunPeriodicTasksAsync(default);
        var early = await _cloud.Api.GetAsync(_cloud.Cloud.Alice, creating, default);
        _cloud.Cloud.Clock.Advance(TimeSpan.FromSeconds(61));
        await _manager.RunPeriodicTasksAsync(default);

        early.Status.Should().Be(VolumeStatuses.Creating);
        var ended = await _cloud.Api.GetAsync(_cloud.Cloud.Alice, creating, default);
        ended.Status.Should().Be(VolumeStatuses.Error);
        ended.StatusReason.Should().Be($"Still creating after 60 s (--volume_state_timeout); the volume host {Host} ended it.");
        (await _cloud.Store.ByUuidAsync(deleting.Uuid, default)).Should().BeNull();
        _targets.Exports.Should().BeEmpty();
        _driver.Volumes.Should().BeEmpty();
    }

    [Test]
    public async Task A_restart_rebuilds_exports_and_removes_stray_targets()
    {
        var volume = await CreatedAsync(1);
        var export = _targets.Exports[1];
        _targets.Exports.Should().ContainSingle();
        var restarted = new RecordingIscsiTargets();
        restarted.AddStray(7, "iqn.2010-10.org.openstack:volume-000000ff");
        restarted.AddStray(8, "iqn.2004-01.org.other:disk");

        await _cloud.NewManager(Host, _driver, restarted).StartAsync(default);

        restarted.Exports.Keys.Should().BeEquivalentTo([1, 8]);
        restarted.Exports[1].Should().Be(export);
        volume.Status.Should().Be(VolumeStatuses.Available);
    }

    [Test]
    public async Task The_heartbeat_reports_capacity_and_the_scheduler_sees_allocation()
    {
        await CreatedAsync(5);
        await _manager.ReportStateAsync(default);

        var host = (await _cloud.Api.ListHostsAsync(default)).Should().ContainSingle(h => h.Host == Host).Subject;

        host.Should().Be(new VolumeHostState(Host, "nova", true, 100, 95, 5));
    }

    private async Task<VolumeInfo> CreatedAsync(long sizeGb) =>
        await _cloud.UntilNotAsync((await _cloud.Api.CreateAsync(_cloud.Cloud.Alice, new CreateVolumeRequest(sizeGb), default)).Uuid, VolumeStatuses.Creating);
}
