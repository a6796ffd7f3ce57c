using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Db;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Fake;
using Cloud.Modules.Identity;
using Cloud.Modules.Identity.Db;
using Cloud.Modules.Identity.Tokens;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Bus.InProcess;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Reliability;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Network;
using Cloud.Modules.Network.Db;
using Cloud.Modules.Scheduler;
using Cloud.Modules.Volume;
using Cloud.Modules.Volume.Db;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cloud.Tests.Support;

/// <summary>
/// The compute control plane in one process on one database and an in-process bus: identity with two projects
/// (alpha: alice, beta: bob), the compute façades, a scheduler and any number of compute hosts on the fake
/// (test double) driver. Heartbeats are explicit (<see cref="HeartbeatAsync"/>) so a test decides who is up.
/// </summary>
public sealed class ComputeTestCloud : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _subscriptions = [];
    private readonly ServiceGroup _services;

    private ComputeTestCloud(IDbConnectionFactory db, SchedulerFlags schedulerFlags)
    {
        Db = db;
        var common = Options.Create(new CommonFlags { ServiceDownTime = 60, ReportInterval = 10 });
        _services = new ServiceGroup(db, common, Clock);
        Bus = Broker = new BreakableBus(new InProcessBus(TestBus.Codec, TestBus.Dispatcher(), Options.Create(TestBus.Flags(timeoutSeconds: 30))));
        Identity = IdentityApi.ForDatabase(db, new TokenRevocations(db, Options.Create(new IdentityFlags()), Clock), Options.Create(new QuotaFlags()), Clock);
        var quotas = new ComputeQuotas(Identity);
        Store = new InstanceStore(db, Clock);
        Flavors = new FlavorApi(new FlavorStore(db), Clock);
        KeyPairs = new KeyPairApi(new KeyPairStore(db), quotas, Clock);
        ComputeRpc = new ComputeRpcClient(Bus);
        SecurityGroups = new SecurityGroupApi(new SecurityGroupStore(db, Clock), quotas, ComputeRpc);
        Nodes = new ComputeNodeApi(new ComputeNodeStore(db, Clock), Store);
        VolumeStore = new VolumeStore(db, Clock);
        var volumeRpc = new VolumeRpcClient(Bus);
        var volumeQuotas = new VolumeQuotas(Identity, VolumeStore);
        Volumes = new VolumeApi(VolumeStore, volumeQuotas, new VolumeSnapshots(new SnapshotStore(db, Clock), VolumeStore, volumeQuotas, volumeRpc),
            new VolumeAttachments(VolumeStore, volumeRpc), new VolumeHostStore(db, Clock), _services, new SchedulerRpcClient(Bus), volumeRpc, Options.Create(new VolumeFlags()));
        Actions = new InstanceActionsApi(Store, new InstanceActionStore(db, Clock), NullLogger<InstanceActionsApi>.Instance);
        Outbox = new RpcOutbox(db, Bus, TestBus.Codec, Clock, NullLogger<RpcOutbox>.Instance);
        Compute = new ComputeApi(Store, Flavors, KeyPairs, SecurityGroups, quotas, new SchedulerRpcClient(Bus), ComputeRpc, _services, new InstanceTasks(Store, Actions), Clock, Outbox, Volumes);
        Guests = new GuestStateApi(new InstanceTasks(Store, Actions), new InstanceAdminStore(db, Clock), Actions, ComputeRpc, Options.Create(new CommonFlags { Host = "api" }));
        SchedulerFlags = Options.Create(schedulerFlags);
    }

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public IDbConnectionFactory Db { get; }

    public IRpcBus Bus { get; }

    /// <summary>The same bus, which a test can break (casts fail as with the broker down) and which records the casts delivered.</summary>
    public BreakableBus Broker { get; }

    public IdentityApi Identity { get; }

    public InstanceStore Store { get; }

    /// <summary>The casts the compute API committed with its creates (rpc_outbox).</summary>
    public RpcOutbox Outbox { get; }

    /// <summary>The instance actions and their events (os-instance-actions).</summary>
    public InstanceActionsApi Actions { get; }

    /// <summary>Pause, suspend, rescue, lock and reset state.</summary>
    public GuestStateApi Guests { get; }

    public FlavorApi Flavors { get; }

    public KeyPairApi KeyPairs { get; }

    public SecurityGroupApi SecurityGroups { get; }

    public ComputeNodeApi Nodes { get; }

    public ComputeRpcClient ComputeRpc { get; }

    public ComputeApi Compute { get; }

    public VolumeStore VolumeStore { get; }

    public VolumeApi Volumes { get; }

    public IOptions<SchedulerFlags> SchedulerFlags { get; }

    public Dictionary<string, (ComputeManager Manager, FakeComputeDriver Driver)> Hosts { get; } = [];

    public RequestContext Alice { get; private set; } = null!;

    public RequestContext Bob { get; private set; } = null!;

    public RequestContext Admin { get; private set; } = null!;

    /// <summary>Migrates the database, creates the users and projects and serves one scheduler.</summary>
    /// <remarks>Without <paramref name="serveScheduler"/>, new instances wait in the scheduler's queue for the test to place them.</remarks>
    public static async Task<ComputeTestCloud> StartAsync(IDbConnectionFactory db, SchedulerFlags? scheduler = null, bool serveScheduler = true)
    {
        await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).SyncAsync(default);
        var cloud = new ComputeTestCloud(db, scheduler ?? new SchedulerFlags());
        await cloud.CreateIdentitiesAsync();
        if (serveScheduler)
        {
            await cloud.ServeSchedulerAsync();
        }
        return cloud;
    }

    /// <summary>A new scheduler manager (several may run on one database, as several scheduler processes would); with <paramref name="volumes"/> it places volumes too.</summary>
    public SchedulerManager NewScheduler(VolumePlacement? volumes = null) => new(
        new HostManager(Nodes, _services, SchedulerFlags),
        SchedulerModule.DriverFor(SchedulerFlags.Value),
        Nodes,
        ComputeRpc,
        NewReconciler(),
        SchedulerFlags,
        NullLogger<SchedulerManager>.Instance,
        volumes);

    /// <summary>
    /// A new reconciler of stuck builds (what a scheduler runs every periodic_interval), on <see cref="Clock"/>; fixed IPs
    /// are given back through <c>deallocate_for_instance</c> on the bus.
    /// </summary>
    public BuildReconciler NewReconciler()
    {
        var addresses = new InstanceAddressRelease(new NetworkApi(new NetworkStore(Db, Clock), Options.Create(new NetworkFlags())), new NetworkRpcClient(Bus),
            NullLogger<InstanceAddressRelease>.Instance);
        return new BuildReconciler(new InstanceBuildsApi(new InstanceBuildStore(Db, Clock), addresses, Volumes), _services, ComputeRpc, new SchedulerRpcClient(Bus),
            SchedulerFlags, Clock, NullLogger<BuildReconciler>.Instance);
    }

    /// <summary>Starts a compute host on the fake driver; it heartbeats once and reports its capacity.</summary>
    public async Task<FakeComputeDriver> AddHostAsync(string host, long memoryMb = 16384, long vcpus = 16, long localGb = 500, string zone = "nova")
    {
        var driver = new FakeComputeDriver(new FakeDriverFlags { MemoryMb = memoryMb, Vcpus = vcpus, LocalGb = localGb });
        Hosts[host] = (await AddHostAsync(host, driver, zone), driver);
        return driver;
    }

    /// <summary>Starts a compute host on any driver (e.g. the real libvirt one); it heartbeats once and reports its capacity.</summary>
    public async Task<ComputeManager> AddHostAsync(string host, IComputeDriver driver, string zone = "nova")
    {
        var common = Options.Create(new CommonFlags { Host = host, NodeAvailabilityZone = zone });
        var manager = new ComputeManager(driver, Store, Nodes, common, NullLogger<ComputeManager>.Instance,
            volumes: new InstanceVolumes(driver, Volumes, common, NullLogger<InstanceVolumes>.Instance),
            actions: Actions, guestStates: new GuestStateActions(driver, Store, Actions, common, NullLogger<GuestStateActions>.Instance));
        _subscriptions.Add(await Bus.ServeAsync(ComputeRpcClient.Topic, host, manager, default));
        await _services.ReportAsync(ServiceGroup.BinaryOf("compute"), host, ComputeRpcClient.Topic, zone, default);
        await manager.ReportStateAsync(default);
        return manager;
    }

    /// <summary>Serves a fake volume host (<see cref="FakeVolumeHost"/>) on <c>volume.&lt;host&gt;</c>.</summary>
    public async Task<FakeVolumeHost> AddFakeVolumeHostAsync(string host)
    {
        var volumeHost = new FakeVolumeHost(host);
        _subscriptions.Add(await Bus.ServeAsync(VolumeRpcClient.Topic, host, volumeHost, default));
        return volumeHost;
    }

    /// <summary>A new available volume of <paramref name="context"/>'s project on volume host <paramref name="host"/> (created as the volume role would).</summary>
    public async Task<VolumeInfo> AvailableVolumeAsync(RequestContext context, string host, long sizeGb = 1)
    {
        var volume = await Volumes.CreateAsync(context, new CreateVolumeRequest(sizeGb), default);
        await VolumeStore.PlaceAsync(volume.Uuid, host, default);
        await VolumeStore.CreatedAsync(volume.Uuid, $"{host}:3331 iqn.2010-10.org.openstack:volume-{volume.Id:x8}", "CHAP chap-user secret", default);
        return await Volumes.GetAsync(context, volume.Uuid, default);
    }

    /// <summary>One heartbeat of a compute host: its services row and its capacity report.</summary>
    public async Task HeartbeatAsync(string host, string zone = "nova")
    {
        await _services.ReportAsync(ServiceGroup.BinaryOf("compute"), host, ComputeRpcClient.Topic, zone, default);
        await Hosts[host].Manager.ReportStateAsync(default);
    }

    /// <summary>Waits until every instance of <paramref name="instances"/> leaves building/scheduling, and returns them afresh.</summary>
    public async Task<IReadOnlyList<Instance>> SettledAsync(RequestContext context, IEnumerable<Instance> instances)
    {
        var ids = instances.Select(i => i.Uuid).ToList();
        IReadOnlyList<Instance> now = [];
        await Poller.UntilAsync(async () =>
        {
            now = await Task.WhenAll(ids.Select(id => Compute.GetAsync(context, id, default)));
            return now.All(i => i.VmState != VmStates.Building && i.TaskState is null);
        }, TimeSpan.FromSeconds(30), "instances to settle");
        return now;
    }

    public RequestContext ContextOf(User user, Project project, bool admin = false) =>
        new(user.Id, project.Id, admin, admin ? ["admin"] : ["member"], RequestContext.NewRequestId());

    private async Task CreateIdentitiesAsync()
    {
        var root = await Identity.CreateUserAsync("root", isAdmin: true, null, default);
        var alice = await Identity.CreateUserAsync("alice", isAdmin: false, null, default);
        var bob = await Identity.CreateUserAsync("bob", isAdmin: false, null, default);
        var alpha = await Identity.CreateProjectAsync("alpha", "alice", null, default);
        var beta = await Identity.CreateProjectAsync("beta", "bob", null, default);
        Alice = ContextOf(alice, alpha);
        Bob = ContextOf(bob, beta);
        Admin = ContextOf(root, alpha, admin: true);
    }

    private async Task ServeSchedulerAsync() =>
        _subscriptions.Add(await Bus.ServeAsync(SchedulerRpcClient.Topic, "scheduler-host", NewScheduler(), default));

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions)
        {
            await subscription.DisposeAsync();
        }
        await Bus.DisposeAsync();
    }
}
