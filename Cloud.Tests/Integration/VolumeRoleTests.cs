using System.Diagnostics;
using Cloud.Modules.Kernel;
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
/// The volume role on the real drivers (sparse files, tgtadm) against a private tgtd (control port 11, portal
/// 127.0.0.1:3311), read back with libiscsi's iscsi-ls using the CHAP account initialize_connection hands out: a volume
/// becomes available and reachable, a restarted role rebuilds its exports (and removes stray cloudd targets), delete leaves
/// neither target nor file, and a tgtd that is gone turns a create into an error with nothing left behind.
/// </summary>
[Category("Integration")]
public sealed class VolumeRoleTests
{
    private const int ControlPort = 11;
    private const int PortalPort = 3311;
    private const string Host = "vol1";

    private static readonly byte[] Marker = "data written through the export"u8.ToArray();

    private SqliteHarness _db = null!;
    private TempDir _dir = null!;
    private TgtDaemon _tgtd = null!;
    private VolumeTestCloud _cloud = null!;
    private IAsyncDisposable? _serving;

    private VolumeApi Api => _cloud.Api;

    [SetUp]
    public async Task StartAsync()
    {
        ExternalTool.Require("iscsi-ls", "libiscsi-bin");
        _tgtd = await TgtDaemon.StartAsync(ControlPort, PortalPort);
        _db = new SqliteHarness();
        _dir = new TempDir();
        _cloud = await VolumeTestCloud.StartAsync(_db.Db, new VolumeFlags
        {
            VolumesDir = _dir.Path, TgtControlPort = ControlPort, IscsiIpAddress = "127.0.0.1", IscsiPort = PortalPort, IscsiNumTargets = 120,
        });
        _serving = await _cloud.StartManagerAsync(Host, NewManager());
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_serving is not null)
        {
            await _serving.DisposeAsync();
        }
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
            await _db.DisposeAsync();
            _dir.Dispose();
        }
        if (_tgtd is not null)
        {
            await _tgtd.DisposeAsync();
        }
    }

    [Test]
    public async Task A_created_volume_is_available_and_reachable_with_its_chap_account_only()
    {
        var volume = await AvailableAsync(2);

        var connection = await Api.InitializeConnectionAsync(_cloud.Cloud.Alice, volume.Uuid, "compute1", default);

        connection.Should().Match<VolumeConnection>(c => c.TargetPortal == $"127.0.0.1:{PortalPort}" && c.TargetLun == 1 && c.AuthMethod == "CHAP"
            && c.TargetIqn == $"iqn.2010-10.org.openstack:volume-{volume.Id:x8}");
        var listed = await IscsiLsAsync(connection);
        listed.ExitCode.Should().Be(0, listed.ToString());
        listed.Stdout.Should().Contain("Lun:1");
        (await IscsiLsAsync(connection with { AuthPassword = "wrong-secret-123" })).ExitCode.Should().NotBe(0);
        File.Exists(BackingFile(volume)).Should().BeTrue();
        new FileInfo(BackingFile(volume)).Length.Should().Be(2L << 30);
    }

    [Test]
    public async Task A_restarted_role_rebuilds_its_exports_and_removes_stray_targets()
    {
        var volume = await AvailableAsync(1);
        var connection = await Api.InitializeConnectionAsync(_cloud.Cloud.Alice, volume.Uuid, "compute1", default);
        await _serving!.DisposeAsync();
        _serving = null;
        await _tgtd.KillAsync();
        _tgtd = await TgtDaemon.StartAsync(ControlPort, PortalPort);
        await _tgtd.AdmOkAsync("--op", "new", "--mode", "target", "--tid", "99", "-T", "iqn.2010-10.org.openstack:volume-000000ff");

        _serving = await _cloud.StartManagerAsync(Host, NewManager());

        var listed = await IscsiLsAsync(connection);
        listed.ExitCode.Should().Be(0, listed.ToString());
        (await _tgtd.TargetIdsAsync()).Should().NotContain(99);
    }

    [Test]
    public async Task Delete_removes_the_export_and_the_backing_file()
    {
        var volume = await AvailableAsync(1);
        var connection = await Api.InitializeConnectionAsync(_cloud.Cloud.Alice, volume.Uuid, "compute1", default);

        await Api.DeleteAsync(_cloud.Cloud.Alice, volume.Uuid, default);

        await GoneAsync(volume.Uuid);
        (await _tgtd.TargetIdsAsync()).Should().BeEmpty();
        File.Exists(BackingFile(volume)).Should().BeFalse();
        (await IscsiLsAsync(connection)).ExitCode.Should().NotBe(0);
        (await _cloud.Targets.OfVolumeAsync(volume.Id, default)).Should().BeNull();
    }

    [Test]
    public async Task Without_tgtd_a_create_fails_with_the_reason_and_leaves_nothing()
    {
        await _tgtd.KillAsync();

        var volume = await Api.CreateAsync(_cloud.Cloud.Alice, new CreateVolumeRequest(1), default);
        var failed = await _cloud.UntilNotAsync(volume.Uuid, VolumeStatuses.Creating);

        failed.Status.Should().Be(VolumeStatuses.Error);
        failed.StatusReason.Should().StartWith($"Volume creation failed on {Host}:").And.Contain($"/var/run/tgtd/socket.{ControlPort}");
        Directory.EnumerateFileSystemEntries(_dir.Path).Should().BeEmpty();
        (await _cloud.Targets.OfVolumeAsync(failed.Id, default)).Should().BeNull();
        await Api.DeleteAsync(_cloud.Cloud.Alice, volume.Uuid, default);
    }

    [Test]
    public async Task The_role_does_not_start_without_tgtd_and_says_why()
    {
        await _tgtd.KillAsync();

        var start = () => NewManager().StartAsync(default);

        (await start.Should().ThrowAsync<CloudException>()).Which.Message.Should().StartWith($"the volume role cannot start on {Host}:");
    }

    [Test]
    public async Task Snapshots_clones_and_extends_go_through_the_real_drivers()
    {
        var volume = await AvailableAsync(1);
        await using (var file = new FileStream(BackingFile(volume), FileMode.Open, FileAccess.Write))
        {
            await file.WriteAsync(Marker);
        }
        var snapshot = await _cloud.Api.CreateSnapshotAsync(_cloud.Cloud.Alice, volume.Uuid, "snap", null, force: false, default);
        await Poller.UntilAsync(async () => (await Api.GetSnapshotAsync(_cloud.Cloud.Alice, snapshot.Uuid, default)).Status == SnapshotStatuses.Available,
            TimeSpan.FromSeconds(30), "the snapshot to be available");

        var fromSnapshot = await AvailableFromAsync(new CreateVolumeRequest(2, SnapshotUuid: snapshot.Uuid));
        var clone = await AvailableFromAsync(new CreateVolumeRequest(null, SourceVolumeUuid: volume.Uuid));
        await Api.ExtendAsync(_cloud.Cloud.Alice, clone.Uuid, 3, default);
        var extended = await _cloud.UntilNotAsync(clone.Uuid, VolumeStatuses.Extending);

        (await HeadAsync(BackingFile(fromSnapshot))).Should().Equal(Marker);
        new FileInfo(BackingFile(fromSnapshot)).Length.Should().Be(2L << 30);
        (await HeadAsync(BackingFile(clone))).Should().Equal(Marker);
        extended.Should().Match<VolumeInfo>(v => v.Status == VolumeStatuses.Available && v.SizeGb == 3);
        new FileInfo(BackingFile(clone)).Length.Should().Be(3L << 30);
        await Api.DeleteSnapshotAsync(_cloud.Cloud.Alice, snapshot.Uuid, default);
        await Poller.UntilAsync(async () => await _cloud.Snapshots.ByUuidAsync(snapshot.Uuid, default) is null, TimeSpan.FromSeconds(30), "the snapshot to be gone");
        File.Exists(Path.Combine(_dir.Path, $"snapshot-{snapshot.Id:x8}")).Should().BeFalse();
    }

    [Test]
    [Explicit("benchmark: 100 volumes created and deleted at once")]
    public async Task Benchmark_one_hundred_volumes()
    {
        await _cloud.Cloud.Identity.SetQuotaAsync("alpha", "volumes", 100, default);
        var clock = Stopwatch.StartNew();
        var created = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Api.CreateAsync(_cloud.Cloud.Alice, new CreateVolumeRequest(1), default)));
        await Task.WhenAll(created.Select(v => _cloud.UntilNotAsync(v.Uuid, VolumeStatuses.Creating)));
        var toAvailable = clock.Elapsed;
        (await Api.ListAsync(_cloud.Cloud.Alice, new VolumeListQuery(), default)).Should().OnlyContain(v => v.Status == VolumeStatuses.Available).And.HaveCount(100);
        (await _tgtd.TargetIdsAsync()).Should().HaveCount(100);

        clock.Restart();
        await Task.WhenAll(created.Select(v => Api.DeleteAsync(_cloud.Cloud.Alice, v.Uuid, default)));
        await Task.WhenAll(created.Select(v => GoneAsync(v.Uuid)));
        var toGone = clock.Elapsed;

        (await _tgtd.TargetIdsAsync()).Should().BeEmpty();
        Directory.EnumerateFileSystemEntries(_dir.Path).Should().BeEmpty();
        await TestContext.Out.WriteLineAsync($"BENCHMARK 100 volumes (file driver, tgtd): all available after {toAvailable.TotalSeconds:0.00} s, all gone after {toGone.TotalSeconds:0.00} s");
    }

    private VolumeManager NewManager()
    {
        var flags = _cloud.Flags;
        var common = Options.Create(new CommonFlags { Host = Host });
        var commands = new CommandRunner([], NullLogger<CommandRunner>.Instance);
        return _cloud.NewManager(Host, new FileVolumeDriver(flags, common, NullLogger<FileVolumeDriver>.Instance),
            new TgtAdmTargetDriver(flags, commands, NullLogger<TgtAdmTargetDriver>.Instance));
    }

    private Task<VolumeInfo> AvailableAsync(long sizeGb) => AvailableFromAsync(new CreateVolumeRequest(sizeGb));

    private async Task<VolumeInfo> AvailableFromAsync(CreateVolumeRequest request)
    {
        var volume = await Api.CreateAsync(_cloud.Cloud.Alice, request, default);
        var now = await _cloud.UntilNotAsync(volume.Uuid, VolumeStatuses.Creating);
        now.Status.Should().Be(VolumeStatuses.Available, now.StatusReason);
        return now;
    }

    private static async Task<byte[]> HeadAsync(string path)
    {
        var head = new byte[Marker.Length];
        await using var file = File.OpenRead(path);
        await file.ReadExactlyAsync(head);
        return head;
    }

    private Task GoneAsync(string volumeUuid) =>
        Poller.UntilAsync(async () => await _cloud.Store.ByUuidAsync(volumeUuid, default) is null, TimeSpan.FromSeconds(60), $"volume {volumeUuid} to be gone");

    private string BackingFile(VolumeInfo volume) => Path.Combine(_dir.Path, $"volume-{volume.Id:x8}");

    private static Task<ToolRun> IscsiLsAsync(VolumeConnection c) =>
        ExternalTool.RunAsync("iscsi-ls", ["-s", $"iscsi://{c.AuthUsername}%{c.AuthPassword}@{c.TargetPortal}/{c.TargetIqn}/{c.TargetLun}"], "/tmp");
}
