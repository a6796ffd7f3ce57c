using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.Auditor;
using Cloud.Modules.Swift.Storage.DiskFile;
using Cloud.Modules.Swift.Storage.Expirer;
using Cloud.Modules.Swift.Storage.Reaper;
using Cloud.Modules.Swift.Storage.Replication;
using Cloud.Modules.Swift.Storage.Updater;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Role "swift-storage": the object store's object (<c>swift_object_port</c>, 6000), container (6001) and
/// account (6002) servers over the devices under <c>swift_devices</c> (swift-*-server). Topics: swift-storage,
/// swift-storage.&lt;host&gt;, swift-storage_fanout. Flags: <see cref="SwiftStorageFlags"/>, <see cref="SwiftHashFlags"/>, <see cref="SwiftRingFlags"/>, <see cref="SwiftConsistencyFlags"/>, <see cref="SwiftContainerSyncFlags"/>.
/// Also runs the consistency daemons (<see cref="DaemonTypes"/>) as background services.
/// </summary>
public sealed class SwiftStorageModule : ICloudModule
{
    public string Role => "swift-storage";

    public string LogName => "swift";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(SwiftStorageFlags), typeof(SwiftHashFlags), typeof(SwiftRingFlags), typeof(SwiftConsistencyFlags), typeof(SwiftContainerSyncFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<SwiftStorageFlags>().Bind(flags);
        services.AddOptions<SwiftHashFlags>().Bind(flags);
        services.AddOptions<SwiftRingFlags>().Bind(flags);
        services.AddOptions<SwiftConsistencyFlags>().Bind(flags);
        services.AddOptions<SwiftContainerSyncFlags>().Bind(flags);
        services.AddSingleton(sp => SwiftHash.From(sp.GetRequiredService<IOptions<SwiftHashFlags>>().Value));
    }

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
        services.AddRpcService<IdleManager>(Role);
        AddDaemons(services);
        foreach (var daemon in DaemonTypes)
        {
            services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<SwiftDaemonService>(sp, sp.GetRequiredService(daemon)));
        }
        // With the proxy in this process too, the object store is all-in-one and completes itself (SwiftProxyModule).
        services.AddSingleton<AllInOne.SwiftAllInOne>();
        services.AddSingleton<ContainerUpdateSender>();
        services.AddSingleton<ObjectReplicationEndpoint>();
        services.TryAddSingleton<IDiskFileFactory, FsDiskFileFactory>();
        services.AddSingleton<DiskThreads>();
        services.AddSingleton<ObjectServer>();
        services.AddSingleton<ContainerServer>();
        // The object server's container updates for this process's own container server skip loopback HTTP.
        services.AddSingleton<ILocalContainerRows>(sp => sp.GetRequiredService<ContainerServer>());
        services.AddSingleton<AccountServer>();
        services.AddSingleton<IHostedService>(sp =>
        {
            var storage = sp.GetRequiredService<SwiftStorageFlags>();
            // The first of the three servers to be built: refuse an open address before any of them listens.
            storage.Validate();
            return new HttpServer(
                new HttpServerOptions(Role, "ObjectServer", storage.SwiftStorageListen, storage.SwiftObjectPort,
                    sp.GetRequiredService<ObjectServer>().Map, ObjectServer.WriteErrorAsync, ObjectServer.MaxObjectBytes, PortFlag: "swift_object_port",
                    Kestrel: Common.SwiftKestrel.Configure, Sockets: EagerReceive.Configure,
                    ReceiveBlockBytes: LargeBlockMemoryPool.BulkBlockSize),
                sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton<IHostedService>(sp => new HttpServer(sp.GetRequiredService<ContainerServer>().HttpOptions(Role), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IHostedService>(sp => new HttpServer(sp.GetRequiredService<AccountServer>().HttpOptions(Role), sp.GetRequiredService<ILoggerFactory>()));
    }

    /// <summary>The consistency daemons, in the order <c>cloudd swift</c> runs them.</summary>
    public static IReadOnlyList<Type> DaemonTypes { get; } =
        [typeof(ObjectReplicator), typeof(ContainerReplicator), typeof(AccountReplicator), typeof(ObjectAuditor), typeof(ObjectUpdater), typeof(ContainerUpdater), typeof(AccountReaper), typeof(ObjectExpirer), typeof(Sync.ContainerSyncDaemon)];

    /// <summary>
    /// Registers the daemons and what they need, for the role and for <c>cloudd swift replicate|audit|update --once</c>,
    /// which runs them in a host without the role.
    /// </summary>
    public static void AddDaemons(IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<SwiftStorageFlags>>().Value);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<SwiftConsistencyFlags>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SwiftRings>();
        services.TryAddSingleton(sp => StorageNodeClient.WithTimeoutSeconds(
            sp.GetRequiredService<SwiftConsistencyFlags>().NodeTimeout, sp.GetRequiredService<ILogger<StorageNodeClient>>()));
        services.TryAddSingleton<DatabaseReplication>();
        services.TryAddSingleton<IDiskFileFactory, FsDiskFileFactory>();
        foreach (var daemon in DaemonTypes)
        {
            services.TryAddSingleton(daemon);
        }
    }
}
