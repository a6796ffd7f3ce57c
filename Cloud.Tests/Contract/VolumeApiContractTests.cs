using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>
/// VolumeApi on every database engine (SQLite and MariaDB) with a recording volume host: Cinder's validation and
/// messages, the quotas (also under concurrent creates), project isolation, placement and the state machine's
/// conditional updates (two attaches: one wins).
/// </summary>
[TestFixture(typeof(SqliteHarness))]
[TestFixture(typeof(MySqlHarness), Category = "Integration")]
public sealed class VolumeApiContractTests<THarness> where THarness : IDbHarness, new()
{
    private THarness _harness = default!;
    private VolumeTestCloud _cloud = null!;
    private RecordingVolumeHost _host1 = null!;
    private RecordingVolumeHost _host2 = null!;

    private VolumeApi Api => _cloud.Api;

    private RequestContext Alice => _cloud.Cloud.Alice;

    private RequestContext Bob => _cloud.Cloud.Bob;

    [SetUp]
    public async Task StartAsync()
    {
        _harness = Harness.New<THarness>();
        _cloud = await VolumeTestCloud.StartAsync(_harness.Db);
        _host1 = await _cloud.AddHostAsync("vol1");
        _host2 = await _cloud.AddHostAsync("vol2");
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_harness is not null)
        {
            if (_cloud is not null)
            {
                await _cloud.DisposeAsync();
            }
            await _harness.DisposeAsync();
        }
    }

    [Test]
    public async Task A_new_volume_goes_to_the_least_allocated_host_of_its_zone()
    {
        var first = await _cloud.UntilPlacedAsync(await Api.CreateAsync(Alice, new CreateVolumeRequest(5, Name: "data"), default));
        var second = await _cloud.UntilPlacedAsync(await Api.CreateAsync(Alice, new CreateVolumeRequest(1), default));

        new[] { first.Host, second.Host }.Should().BeEquivalentTo(["vol1", "vol2"]);
        var firstHost = first.Host == "vol1" ? _host1 : _host2;
        await firstHost.WaitForAsync<CreateVolume>(m => m.VolumeUuid == first.Uuid);
        first.Should().Match<VolumeInfo>(v => v.Status == VolumeStatuses.Creating && v.SizeGb == 5 && v.Name == "data"
            && v.AvailabilityZone == "nova" && v.VolumeType == "__DEFAULT__" && v.AttachStatus == "detached");
    }

    [Test]
    public async Task With_no_volume_host_up_the_volume_goes_to_error_with_the_reason()
    {
        _cloud.Cloud.Clock.Advance(TimeSpan.FromMinutes(5));

        var volume = await Api.CreateAsync(Alice, new CreateVolumeRequest(1, AvailabilityZone: "nova"), default);

        var failed = await _cloud.UntilNotAsync(volume.Uuid, VolumeStatuses.Creating);
        failed.Status.Should().Be(VolumeStatuses.Error);
        failed.StatusReason.Should().StartWith("No valid host was found.");
    }

    [TestCase(0L, "0")]
    [TestCase(-3L, "-3")]
    [TestCase(null, "")]
    public async Task A_size_below_one_is_refused_with_cinders_message(long? size, string shown)
    {
        var create = () => Api.CreateAsync(Alice, new CreateVolumeRequest(size), default);

        await ShouldRefuseAsync(create, CloudErrorKind.Invalid, $"Invalid input received: Volume size '{shown}' must be an integer and greater than 0");
    }

    [Test]
    public async Task Names_descriptions_and_metadata_longer_than_255_are_refused()
    {
        var longText = new string('x', 256);

        await ShouldRefuseAsync(() => Api.CreateAsync(Alice, new CreateVolumeRequest(1, Name: longText), default), CloudErrorKind.Invalid, "Invalid input received: Name has more than 255 characters.");
        await ShouldRefuseAsync(() => Api.CreateAsync(Alice, new CreateVolumeRequest(1, Description: longText), default), CloudErrorKind.Invalid, "Invalid input received: Description has more than 255 characters.");
        await ShouldRefuseAsync(() => Api.CreateAsync(Alice, new CreateVolumeRequest(1, Metadata: new Dictionary<string, string> { ["k"] = longText }), default),
            CloudErrorKind.Invalid, "Invalid metadata: Metadata property value greater than 255 characters.");
        (await Api.ListAsync(Alice, new VolumeListQuery(), default)).Should().BeEmpty();
    }

    [Test]
    public async Task An_unknown_zone_is_refused_and_a_volume_hosts_zone_is_accepted()
    {
        await _cloud.AddHostAsync("vol3", zone: "east");

        await ShouldRefuseAsync(() => Api.CreateAsync(Alice, new CreateVolumeRequest(1, AvailabilityZone: "mars"), default), CloudErrorKind.Invalid, "Availability zone 'mars' is invalid.");
        var placed = await _cloud.UntilPlacedAsync(await Api.CreateAsync(Alice, new CreateVolumeRequest(1, AvailabilityZone: "east"), default));
        placed.Host.Should().Be("vol3");
    }

    [Test]
    public async Task The_volumes_quota_is_cinders_413()
    {
        await _cloud.Cloud.Identity.SetQuotaAsync("alpha", "volumes", 2, default);
        await Api.CreateAsync(Alice, new CreateVolumeRequest(1), default);
        await Api.CreateAsync(Alice, new CreateVolumeRequest(1), default);

        await ShouldRefuseAsync(() => Api.CreateAsync(Alice, new CreateVolumeRequest(1), default), CloudErrorKind.TooLarge,
            "VolumeLimitExceeded: Maximum number of volumes allowed (2) exceeded for quota 'volumes'.");
        (await Api.CreateAsync(Bob, new CreateVolumeRequest(1), default)).ProjectId.Should().Be(Bob.ProjectId);
    }

    [Test]
    public async Task The_gigabytes_quota_counts_volumes_snapshots_and_extends()
    {
        await _cloud.Cloud.Identity.SetQuotaAsync("alpha", "gigabytes", 10, default);
        var volume = await AvailableAsync(Alice, 4);

        await ShouldRefuseAsync(() => Api.CreateAsync(Alice, new CreateVolumeRequest(7), default), CloudErrorKind.TooLarge,
            "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested 7G, quota is 10G and 4G has been consumed.");
        await Api.CreateSnapshotAsync(Alice, volume.Uuid, "s1", null, force: false, default);
        await ShouldRefuseAsync(() => Api.ExtendAsync(Alice, volume.Uuid, 7, default), CloudErrorKind.TooLarge,
            "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested 3G, quota is 10G and 8G has been consumed.");
        await Api.ExtendAsync(Alice, volume.Uuid, 6, default);
        await ShouldRefuseAsync(() => Api.CreateAsync(Alice, new CreateVolumeRequest(1), default), CloudErrorKind.TooLarge,
            "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested 1G, quota is 10G and 10G has been consumed.");
    }

    [Test]
    public async Task Concurrent_creates_never_exceed_the_volumes_quota()
    {
        await _cloud.Cloud.Identity.SetQuotaAsync("alpha", "volumes", 5, default);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                await Api.CreateAsync(Alice, new CreateVolumeRequest(1), default);
                return true;
            }
            catch (CloudException e) when (e.Kind == CloudErrorKind.TooLarge)
            {
                return false;
            }
        }));

        results.Count(created => created).Should().Be(5);
        (await Api.ListAsync(Alice, new VolumeListQuery(), default)).Should().HaveCount(5);
    }

    [Test]
    public async Task Another_projects_volume_is_not_found_and_an_admin_sees_all_when_asking()
    {
        var volume = await Api.CreateAsync(Alice, new CreateVolumeRequest(1), default);

        await ShouldRefuseAsync(() => Api.GetAsync(Bob, volume.Uuid, default), CloudErrorKind.NotFound, $"Volume {volume.Uuid} could not be found.");
        await ShouldRefuseAsync(() => Api.DeleteAsync(Bob, volume.Uuid, default), CloudErrorKind.NotFound, $"Volume {volume.Uuid} could not be found.");
        await ShouldRefuseAsync(() => Api.ReserveAsync(Bob, volume.Uuid, Guid.NewGuid().ToString(), null, false, null, default), CloudErrorKind.NotFound, $"Volume {volume.Uuid} could not be found.");
        await ShouldRefuseAsync(() => Api.GetByIdAsync(Bob, volume.Id, default), CloudErrorKind.NotFound, $"Volume vol-{volume.Id:x8} could not be found.");
        (await Api.ListAsync(Bob, new VolumeListQuery(AllProjects: true), default)).Should().BeEmpty();
        (await Api.ListAsync(Bob with { IsAdmin = true }, new VolumeListQuery(), default)).Should().BeEmpty();
        (await Api.ListAsync(Bob with { IsAdmin = true }, new VolumeListQuery(AllProjects: true), default)).Select(v => v.Uuid).Should().Equal(volume.Uuid);
    }

    [Test]
    public async Task Cloudd_itself_sees_every_volume_and_an_anonymous_caller_none()
    {
        var volume = await AvailableAsync(Alice, 1);
        await Api.ReserveAsync(Alice, volume.Uuid, "i-9", "/dev/vdb", false, null, default);
        var service = RequestContext.Service();

        (await Api.GetAsync(service, volume.Uuid, default)).Uuid.Should().Be(volume.Uuid);
        (await Api.ForInstanceAsync(service, "i-9", default)).Select(v => v.Uuid).Should().Equal(volume.Uuid);
        (await Api.ListAsync(service, new VolumeListQuery(AllProjects: true), default)).Should().ContainSingle();
        await ShouldRefuseAsync(() => Api.GetAsync(new RequestContext(null, null, false, [], "req-x"), volume.Uuid, default), CloudErrorKind.Unauthorized,
            "The request you have made requires authentication.");
    }

    [Test]
    public async Task Of_two_concurrent_attaches_exactly_one_wins()
    {
        var volume = await AvailableAsync(Alice, 1);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            try
            {
                return (await Api.ReserveAsync(Alice, volume.Uuid, $"instance-{i}", "/dev/vdb", false, null, default)).InstanceUuid;
            }
            catch (CloudException e) when (e.Kind == CloudErrorKind.Invalid && e.Message == "Invalid volume: volume status must be available")
            {
                return null;
            }
        }));

        outcomes.Where(o => o is not null).Should().ContainSingle();
        (await Api.GetAsync(Alice, volume.Uuid, default)).Should().Match<VolumeInfo>(v => v.Status == VolumeStatuses.Attaching && v.AttachStatus == "attaching" && v.AttachmentId != null);
    }

    [Test]
    public async Task The_attach_flow_goes_through_every_state_and_back()
    {
        var volume = await AvailableAsync(Alice, 1);

        await Api.ReserveAsync(Alice, volume.Uuid, "i-1", "/dev/vdb", true, 1, default);
        await Api.AttachedAsync(Alice, volume.Uuid, "i-1", "compute1", "/dev/vdb", default);
        var inUse = await Api.GetAsync(Alice, volume.Uuid, default);
        (await Api.ForInstanceAsync(Alice, "i-1", default)).Select(v => v.Uuid).Should().Equal(volume.Uuid);
        await ShouldRefuseAsync(() => Api.DeleteAsync(Alice, volume.Uuid, default), CloudErrorKind.Invalid, VolumeApi.DeleteRefused);
        await Api.BeginDetachingAsync(Alice, volume.Uuid, default);
        await Api.RollDetachingAsync(Alice, volume.Uuid, default);
        await Api.BeginDetachingAsync(Alice, volume.Uuid, default);
        await Api.DetachedAsync(Alice, volume.Uuid, default);
        await Api.DetachedAsync(Alice, volume.Uuid, default);

        inUse.Should().Match<VolumeInfo>(v => v.Status == VolumeStatuses.InUse && v.AttachStatus == "attached" && v.InstanceUuid == "i-1"
            && v.AttachedHost == "compute1" && v.Mountpoint == "/dev/vdb" && v.DeleteOnTermination && v.BootIndex == 1 && v.AttachedAt != null);
        (await Api.GetAsync(Alice, volume.Uuid, default)).Should().Match<VolumeInfo>(v => v.Status == VolumeStatuses.Available
            && v.AttachStatus == "detached" && v.InstanceUuid == null && v.AttachmentId == null && v.Mountpoint == null);
        await ShouldRefuseAsync(() => Api.BeginDetachingAsync(Alice, volume.Uuid, default), CloudErrorKind.Invalid,
            "Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.");
    }

    [Test]
    public async Task A_volume_with_snapshots_or_still_creating_cannot_be_deleted()
    {
        var creating = await _cloud.UntilPlacedAsync(await Api.CreateAsync(Alice, new CreateVolumeRequest(1), default));
        var volume = await AvailableAsync(Alice, 1);
        var snapshot = await Api.CreateSnapshotAsync(Alice, volume.Uuid, null, null, force: false, default);

        await ShouldRefuseAsync(() => Api.DeleteAsync(Alice, creating.Uuid, default), CloudErrorKind.Invalid, VolumeApi.DeleteRefused);
        await ShouldRefuseAsync(() => Api.DeleteAsync(Alice, volume.Uuid, default), CloudErrorKind.Invalid, VolumeApi.DeleteRefused);
        snapshot.Should().Match<SnapshotInfo>(s => s.Status == SnapshotStatuses.Creating && s.VolumeUuid == volume.Uuid && s.SizeGb == 1 && s.Host == volume.Host);
        await (volume.Host == "vol1" ? _host1 : _host2).WaitForAsync<CreateSnapshot>(m => m.SnapshotUuid == snapshot.Uuid);
    }

    [Test]
    public async Task Deleting_an_available_volume_asks_its_host_and_one_never_placed_goes_at_once()
    {
        var volume = await AvailableAsync(Alice, 1);
        await Api.DeleteAsync(Alice, volume.Uuid, default);
        await _cloud.HostOf(volume).WaitForAsync<DeleteVolume>(m => m.VolumeUuid == volume.Uuid);
        (await Api.GetAsync(Alice, volume.Uuid, default)).Status.Should().Be(VolumeStatuses.Deleting);

        await _cloud.Cloud.Identity.SetQuotaAsync("alpha", "gigabytes", -1, default);
        var unplaced = await Api.CreateAsync(Alice, new CreateVolumeRequest(_cloud.Flags.Value.MaxGigabytes + 1), default);
        await _cloud.UntilNotAsync(unplaced.Uuid, VolumeStatuses.Creating);
        await Api.DeleteAsync(Alice, unplaced.Uuid, default);
        await ShouldRefuseAsync(() => Api.GetAsync(Alice, unplaced.Uuid, default), CloudErrorKind.NotFound, $"Volume {unplaced.Uuid} could not be found.");
    }

    [Test]
    public async Task A_volume_from_a_snapshot_is_made_on_the_snapshots_host_and_at_least_its_size()
    {
        var volume = await AvailableAsync(Alice, 2);
        var snapshot = await Api.CreateSnapshotAsync(Alice, volume.Uuid, null, null, force: false, default);
        await _cloud.Snapshots.CreatedAsync(snapshot.Uuid, default);

        await ShouldRefuseAsync(() => Api.CreateAsync(Alice, new CreateVolumeRequest(1, SnapshotUuid: snapshot.Uuid), default), CloudErrorKind.Invalid,
            "Invalid input received: Volume size '1'GB cannot be smaller than the snapshot size 2GB. They must be >= original snapshot size.");
        await ShouldRefuseAsync(() => Api.CreateAsync(Bob, new CreateVolumeRequest(2, SnapshotUuid: snapshot.Uuid), default), CloudErrorKind.NotFound,
            $"Snapshot {snapshot.Uuid} could not be found.");
        await ShouldRefuseAsync(() => Api.CreateAsync(Bob, new CreateVolumeRequest(2, SourceVolumeUuid: volume.Uuid), default), CloudErrorKind.NotFound,
            $"Volume {volume.Uuid} could not be found.");
        var copy = await Api.CreateAsync(Alice, new CreateVolumeRequest(null, SnapshotUuid: snapshot.Uuid), default);
        copy.Should().Match<VolumeInfo>(v => v.Host == volume.Host && v.SizeGb == 2 && v.SnapshotUuid == snapshot.Uuid);
        await _cloud.HostOf(volume).WaitForAsync<CreateVolume>(m => m.VolumeUuid == copy.Uuid);
    }

    [Test]
    public async Task Extend_needs_an_available_volume_and_a_larger_size()
    {
        var volume = await AvailableAsync(Alice, 2);

        await ShouldRefuseAsync(() => Api.ExtendAsync(Alice, volume.Uuid, 2, default), CloudErrorKind.Invalid,
            "Invalid input received: New size for extend must be greater than current size. (current: 2, extended: 2).");
        await Api.ExtendAsync(Alice, volume.Uuid, 3, default);
        await ShouldRefuseAsync(() => Api.ExtendAsync(Alice, volume.Uuid, 4, default), CloudErrorKind.Invalid,
            "Invalid volume: Volume status must be 'available' to extend, but current status is: extending.");
        await _cloud.HostOf(volume).WaitForAsync<ExtendVolume>(m => m.VolumeUuid == volume.Uuid);
        (await _cloud.Store.ExtendedAsync(volume.Uuid, default)).Should().BeTrue();
        (await Api.GetAsync(Alice, volume.Uuid, default)).Should().Match<VolumeInfo>(v => v.SizeGb == 3 && v.Status == VolumeStatuses.Available);
    }

    [Test]
    public async Task Update_changes_names_and_replaces_metadata()
    {
        var volume = await Api.CreateAsync(Alice, new CreateVolumeRequest(1, Name: "a", Metadata: new Dictionary<string, string> { ["x"] = "1" }), default);

        var updated = await Api.UpdateAsync(Alice, volume.Uuid, "b", null, new Dictionary<string, string> { ["y"] = "2" }, default);

        volume.Metadata.Should().Equal(new Dictionary<string, string> { ["x"] = "1" });
        updated.Should().Match<VolumeInfo>(v => v.Name == "b" && v.Description == null);
        updated.Metadata.Should().Equal(new Dictionary<string, string> { ["y"] = "2" });
    }

    private async Task<VolumeInfo> AvailableAsync(RequestContext context, long sizeGb)
    {
        var volume = await _cloud.UntilPlacedAsync(await Api.CreateAsync(context, new CreateVolumeRequest(sizeGb), default));
        (await _cloud.Store.CreatedAsync(volume.Uuid, "/dev/null", "CHAP user secret", default)).Should().BeTrue();
        return await Api.GetAsync(context, volume.Uuid, default);
    }

    private static async Task ShouldRefuseAsync(Func<Task> action, CloudErrorKind kind, string message) =>
        (await action.Should().ThrowAsync<CloudException>()).Which.Should().Match<CloudException>(e => e.Kind == kind && e.Message == message);
}
