using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Network;
using Cloud.Modules.Network.Db;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Network;

/// <summary>
/// A project's floating IPs (FloatingIpApi on SQLite and the in-process bus): quota, isolation between projects, moving,
/// releasing, auto-assign and what an instance going away does; every change tells the network host, refusals tell nobody.
/// </summary>
public sealed class FloatingIpApiTests
{
    private const string Host = "net1";
    private SqliteHarness _db = null!;
    private ComputeTestCloud _cloud = null!;
    private IAsyncDisposable _serving = null!;
    private SyncRecorder _syncs = null!;
    private FloatingIpApi _api = null!;
    private NetworkStore _networks = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _db = new SqliteHarness();
        _cloud = await ComputeTestCloud.StartAsync(_db.Db, serveScheduler: false);
        var flags = Options.Create(new NetworkFlags { PublicInterface = "ext0", AutoAssignFloatingIp = true });
        _networks = new NetworkStore(_db.Db, TimeProvider.System);
        await new NetworkApi(_networks, flags).CreateAsync("private", "10.0.0.0/24", 1, 256, "br100", null, null, default);
        await _networks.ClaimAsync(Host, default);
        _api = FloatingIpHosts.Api(_db.Db, _cloud.Bus, _cloud.Identity, flags);
        await _api.CreateRangeAsync("172.24.4.8/29", null, null, default);
        _syncs = new SyncRecorder();
        _serving = await _cloud.Bus.ServeAsync(NetworkRpcClient.Topic, Host, _syncs, default);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _serving.DisposeAsync();
        await _cloud.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task The_quota_counts_allocated_addresses_but_not_auto_assigned_ones()
    {
        await _cloud.Identity.SetQuotaAsync("alpha", "floating_ips", 1, default);
        await _api.AutoAssignAsync(_cloud.Alice.ProjectId!, await InstanceAsync("vm1"), default);
        await _api.AllocateAsync(_cloud.Alice, null, default);

        var over = () => _api.AllocateAsync(_cloud.Alice, null, default);

        (await over.Should().ThrowAsync<CloudException>()).Which.Should().Match<CloudException>(e => e.Kind == CloudErrorKind.Forbidden && e.Message == "Maximum number of floating ips exceeded");
        (await _api.ListAsync(_cloud.Alice, default)).Should().HaveCount(2);
    }

    [Test]
    public async Task Another_projects_address_is_not_found_by_id_and_not_authorized_by_address_and_stays_as_it_was()
    {
        var bobs = await _api.AllocateAsync(_cloud.Bob, null, default);
        var vm = await InstanceAsync("vm1");

        await FluentActions.Awaiting(() => _api.GetAsync(_cloud.Alice, bobs.Id, default)).Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.NotFound);
        await FluentActions.Awaiting(() => _api.AssociateAsync(_cloud.Alice, bobs.Address, vm, null, default)).Should().ThrowAsync<CloudException>()
            .Where(e => e.Kind == CloudErrorKind.Forbidden && e.Message == $"Address {bobs.Address} is not allocated to your project.");
        await FluentActions.Awaiting(() => _api.ReleaseAsync(_cloud.Alice, bobs.Address, default)).Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Forbidden);
        await FluentActions.Awaiting(() => _api.AssociateAsync(_cloud.Alice, "172.24.4.200", vm, null, default)).Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.NotFound);
        await FluentActions.Awaiting(() => _api.AllocateAsync(_cloud.Alice, "nope", default)).Should().ThrowAsync<CloudException>()
            .Where(e => e.Kind == CloudErrorKind.NotFound && e.Message == "Floating IP pool not found: nope.");

        (await _api.GetAsync(_cloud.Bob, bobs.Id, default)).Should().BeEquivalentTo(bobs);
        _syncs.Count.Should().Be(0, "no refusal touched the network host");
    }

    [Test]
    public async Task Associating_again_elsewhere_moves_the_address_and_release_disassociates_it_first()
    {
        var address = (await _api.AllocateAsync(_cloud.Alice, null, default)).Address;
        var (vm1, vm2) = (await InstanceAsync("vm1"), await InstanceAsync("vm2"));

        await _api.AssociateAsync(_cloud.Alice, address, vm1, null, default);
        await _api.AssociateAsync(_cloud.Alice, address, vm1, null, default);
        var moved = await _api.AssociateAsync(_cloud.Alice, address, vm2, null, default);

        moved.InstanceUuid.Should().Be(vm2);
        moved.FixedAddress.Should().Be((await _networks.OfInstanceAsync(vm2, default))!.Address);
        moved.Host.Should().Be(Host);
        _syncs.Count.Should().Be(2, "the repeated associate changed nothing");
        await FluentActions.Awaiting(() => _api.DisassociateAsync(_cloud.Alice, address, vm1, default)).Should().ThrowAsync<CloudException>().Where(e => e.Kind == CloudErrorKind.Conflict);

        await _api.ReleaseAsync(_cloud.Alice, address, default);

        var row = (await _api.ListAllAsync(default)).Single(f => f.Address == address);
        (row.ProjectId, row.FixedAddress, row.InstanceUuid, row.Host).Should().Be((null, null, null, null));
        _syncs.Count.Should().Be(3);
    }

    [Test]
    public async Task An_instance_going_away_releases_its_auto_assigned_address_and_keeps_the_allocated_one_for_its_project()
    {
        var vm = await InstanceAsync("vm1");
        var auto = (await _api.AutoAssignAsync(_cloud.Alice.ProjectId!, vm, default))!;
        var mine = await _api.AllocateAsync(_cloud.Alice, null, default);
        await _api.AssociateAsync(_cloud.Alice, mine.Address, vm, null, default);
        auto.AutoAssigned.Should().BeTrue();
        auto.InstanceUuid.Should().Be(vm);

        await _api.ForgetInstanceAsync(vm, default);

        var rows = await _api.ListAllAsync(default);
        rows.Single(f => f.Address == auto.Address).ProjectId.Should().BeNull();
        rows.Single(f => f.Address == mine.Address).Should().Match<FloatingAddress>(f => f.ProjectId == _cloud.Alice.ProjectId && f.FixedAddress == null);
    }

    /// <summary>A fixed IP on the network, held by a new instance uuid.</summary>
    private async Task<string> InstanceAsync(string hostname)
    {
        var uuid = Guid.NewGuid().ToString();
        await _networks.AllocateAsync(uuid, hostname, default);
        return uuid;
    }

    private sealed class SyncRecorder : IRpcEndpoint
    {
        private int _count;

        public int Count => _count;

        public Task<object?> DispatchAsync(RequestContext context, IRpcMessage message, CancellationToken cancellationToken)
        {
            if (message is SyncFloatingIps)
            {
                Interlocked.Increment(ref _count);
            }
            return Task.FromResult<object?>(null);
        }
    }
}
