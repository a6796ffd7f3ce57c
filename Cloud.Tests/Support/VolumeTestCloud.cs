using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Scheduler;
using Cloud.Modules.Volume;
using Cloud.Modules.Volume.Db;
using Cloud.Modules.Volume.Drivers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cloud.Tests.Support;

/// <summary>
/// The volume control plane in one process on one database and the in-process bus, over <see cref="ComputeTestCloud"/>'s
/// identity (alpha: alice, beta: bob) and clock: <see cref="VolumeApi"/>, a scheduler that places volumes, and volume
/// hosts whose endpoint the test gives (a <see cref="RecordingVolumeHost"/> by default). Heartbeats are explicit.
/// </summary>
public sealed class VolumeTestCloud : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _subscriptions = [];
    private readonly VolumePlacement _placement;

    private VolumeTestCloud(ComputeTestCloud cloud, VolumeFlags flags)
    {
        Cloud = cloud;
        Flags = Options.Create(flags);
        Services = new ServiceGroup(cloud.Db, Options.Create(new CommonFlags { ServiceDownTime = 60 }), cloud.Clock);
        Store = new VolumeStore(cloud.Db, cloud.Clock);
        Snapshots = new SnapshotStore(cloud.Db, cloud.Clock);
        Targets = new IscsiTargetStore(cloud.Db);
        HostStore = new VolumeHostStore(cloud.Db, cloud.Clock);
        Rpc = new VolumeRpcClient(cloud.Bus);
        var quotas = new VolumeQuotas(cloud.Identity, Store);
        Api = new VolumeApi(Store, quotas, new VolumeSnapshots(Snapshots, Store, quotas, Rpc), new VolumeAttachments(Store, Rpc),
            HostStore, Services, new SchedulerRpcClient(cloud.Bus), Rpc, Flags);
        _placement = new VolumePlacement(Api, Flags, NullLogger<VolumePlacement>.Instance);
    }

    public ComputeTestCloud Cloud { get; }

    public IDbConnectionFactory Db => Cloud.Db;

    public IRpcBus Bus => Cloud.Bus;

    public IOptions<VolumeFlags> Flags { get; }

    public ServiceGroup Services { get; }

    public VolumeStore Store { get; }

    public SnapshotStore Snapshots { get; }

    public IscsiTargetStore Targets { get; }

    public VolumeHostStore HostStore { get; }

    public VolumeRpcClient Rpc { get; }

    public VolumeApi Api { get; }

    /// <summary>Migrates the database, creates the users and projects and serves a scheduler that places volumes.</summary>
    public static async Task<VolumeTestCloud> StartAsync(IDbConnectionFactory db, VolumeFlags? flags = null)
    {
        var cloud = new VolumeTestCloud(await ComputeTestCloud.StartAsync(db, serveScheduler: false), flags ?? new VolumeFlags());
        cloud._subscriptions.Add(await cloud.Bus.ServeAsync(SchedulerRpcClient.Topic, "scheduler-host", cloud.Cloud.NewScheduler(cloud._placement), default));
        return cloud;
    }

    /// <summary>A volume host: its services row (topic volume, <paramref name="zone"/>) and <paramref name="endpoint"/> serving <c>volume.&lt;host&gt;</c>.</summary>
    public async Task<T> AddHostAsync<T>(string host, T endpoint, string zone = "nova") where T : IRpcEndpoint
    {
        _subscriptions.Add(await Bus.ServeAsync(VolumeRpcClient.Topic, host, endpoint, default));
        await HeartbeatAsync(host, zone);
        return endpoint;
    }

    public async Task<RecordingVolumeHost> AddHostAsync(string host, string zone = "nova") =>
        RecordingHosts[host] = await AddHostAsync(host, new RecordingVolumeHost(), zone);

    /// <summary>The recording endpoints of the hosts added without one.</summary>
    public Dictionary<string, RecordingVolumeHost> RecordingHosts { get; } = [];

    public RecordingVolumeHost HostOf(VolumeInfo volume) => RecordingHosts[volume.Host ?? throw new InvalidOperationException($"volume {volume.Uuid} is not placed")];

    /// <summary>Waits until the scheduler placed the volume (or failed it) and returns it afresh.</summary>
    public async Task<VolumeInfo> UntilPlacedAsync(VolumeInfo volume)
    {
        VolumeInfo now = volume;
        await Poller.UntilAsync(async () => (now = await Api.GetAsync(Cloud.Admin, volume.Uuid, default)).Host is not null || now.Status != VolumeStatuses.Creating,
            TimeSpan.FromSeconds(30), $"volume {volume.Uuid} to be placed");
        return now;
    }

    public Task HeartbeatAsync(string host, string zone = "nova") =>
        Services.ReportAsync(ServiceGroup.BinaryOf("volume"), host, VolumeRpcClient.Topic, zone, default);

    /// <summary>A volume manager of <paramref name="host"/> on the given drivers (real ones, or test doubles), not yet started or serving.</summary>
    public VolumeManager NewManager(string host, IVolumeDriver driver, IIscsiTargetDriver target)
    {
        var common = Options.Create(new CommonFlags { Host = host, MyIp = "127.0.0.1" });
        var names = new VolumeNames(Flags);
        var exports = new VolumeExports(Store, Targets, target, names, Flags, common, NullLogger<VolumeExports>.Instance);
        return new VolumeManager(Store, Snapshots, Targets, HostStore, driver, target, exports, names, Flags, common, Cloud.Clock, NullLogger<VolumeManager>.Instance);
    }

    /// <summary>Starts the manager as the role would (checks, exports rebuilt), serves <c>volume.&lt;host&gt;</c> and heartbeats once; dispose to stop serving.</summary>
    public async Task<IAsyncDisposable> StartManagerAsync(string host, VolumeManager manager, string zone = "nova")
    {
        await manager.StartAsync(default);
        var serving = await Bus.ServeAsync(VolumeRpcClient.Topic, host, manager, default);
        await HeartbeatAsync(host, zone);
        await manager.ReportStateAsync(default);
        return serving;
    }

    /// <summary>Waits until the volume leaves <paramref name="status"/> and returns it afresh.</summary>
    public async Task<VolumeInfo> UntilNotAsync(string volumeUuid, string status)
    {
        VolumeInfo now = null!;
        await Poller.UntilAsync(async () => (now = await Api.GetAsync(Cloud.Admin, volumeUuid, default)).Status != status, TimeSpan.FromSeconds(30), $"volume {volumeUuid} to leave {status}");
        return now;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions)
        {
            await subscription.DisposeAsync();
        }
        await Cloud.DisposeAsync();
    }
}
