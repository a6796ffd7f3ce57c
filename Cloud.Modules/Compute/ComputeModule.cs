using Cloud.Modules.Compute.Db;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Compute.Drivers.Fake;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Compute.Firewall;
using Cloud.Modules.Compute.Images;
using Cloud.Modules.Glance;
using Cloud.Modules.Kernel;
using Cloud.Modules.Network;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute;

/// <summary>
/// Role "compute": runs instances on this host (nova-compute) through the driver <c>--compute_driver</c> names.
/// Topics: compute, compute.&lt;host&gt;, compute_fanout. Flags: <see cref="ComputeFlags"/>, <see cref="LibvirtFlags"/>, <see cref="FakeDriverFlags"/>
/// (it reads images as Glance's image reader). With a real driver, security groups are enforced by <see cref="FirewallManager"/>.
/// Every host gets the façades <see cref="ComputeApi"/>, <see cref="FlavorApi"/>, <see cref="KeyPairApi"/>,
/// <see cref="SecurityGroupApi"/>, <see cref="ComputeNodeApi"/>, <see cref="GuestApi"/> (the metadata service's lookup) and
/// <see cref="InstanceBuildsApi"/> (the scheduler's), and Network's port <see cref="IInstanceDirectory"/>.
/// </summary>
public sealed class ComputeModule : ICloudModule
{
    public string Role => "compute";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(ComputeFlags), typeof(LibvirtFlags), typeof(FakeDriverFlags), typeof(InstanceMoveFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<ComputeFlags>().Bind(flags);
        services.AddOptions<LibvirtFlags>().Bind(flags);
        services.AddOptions<FakeDriverFlags>().Bind(flags);
        services.AddOptions<InstanceMoveFlags>().Bind(flags);
        services.AddSingleton<InstanceMoveStore>();
        services.AddSingleton<MigrationStore>();
        services.AddSingleton<InstanceMoveApi>();
        services.AddSingleton<SnapshotImages>();
        services.AddSingleton<MigrationApi>();
        services.AddSingleton<InstanceStore>();
        services.AddSingleton<InstanceActionStore>();
        services.AddSingleton<InstanceActionsApi>();
        services.AddSingleton<InstanceTasks>();
        services.AddSingleton<InstanceAdminStore>();
        services.AddSingleton<GuestStateApi>();
        services.AddSingleton<FlavorStore>();
        services.AddSingleton<KeyPairStore>();
        services.AddSingleton<SecurityGroupStore>();
        services.AddSingleton<ComputeNodeStore>();
        services.AddSingleton<InstanceMetadataStore>();
        services.AddSingleton<GuestStore>();
        services.AddSingleton<ServerGroupStore>();
        services.AddSingleton<ServerGroupApi>();
        services.AddSingleton<ComputeQuotas>();
        services.AddSingleton<FlavorApi>();
        services.AddSingleton<KeyPairApi>();
        services.AddSingleton<SecurityGroupApi>();
        services.AddSingleton<ComputeNodeApi>();
        services.AddSingleton<ComputeRpcClient>();
        services.AddSingleton<ComputeApi>();
        services.AddSingleton<InstanceMetadataApi>();
        services.AddSingleton<ServerTagStore>();
        services.AddSingleton<ServerTagsApi>();
        services.AddSingleton<GuestApi>();
        services.AddSingleton<InstanceBuildStore>();
        services.AddSingleton<InstanceAddressRelease>();
        services.AddSingleton<InstanceBuildsApi>();
        services.AddSingleton<IInstanceDirectory, InstanceDirectory>();
        services.AddSingleton<ComputeUsageStore>();
        services.AddSingleton<ComputeUsageApi>();
    }

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
        services.AddSingleton<IImageFetcher, GlanceImageFetcher>();
        services.AddSingleton(ComputeDriverFactory.FromFlags);
        services.AddSingleton<InstanceVolumes>();
        services.AddSingleton<InstanceMoveManager>();
        services.AddSingleton<GuestStateActions>();
        if (flags.GetValue<string>("compute_driver") == "fake")
        {
            // The fake driver plugs no NICs, so its instances (scheduler tests, benchmarks) need no network role:
            // its manager goes without the host networking Network's AddClient offers every host.
            services.RemoveAll<InstanceNetworkingApi>();
        }
        else
        {
            services.AddSingleton<IHostedService, InstancePlugs>();
            services.AddSingleton<IHostedService, InstanceVolumeConnections>();
            // A real driver's first boot would otherwise wait for libvirtd's QEMU probe and the image reader token.
            services.AddSingleton<IHostedService, FirstBootWarmup>();
            AddFirewall(services);
        }
        // After the firewall (a reaped guest's chains go through it), before the RPC service (the first pass runs before any message).
        services.AddSingleton<GuestReconciler>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<GuestReconciler>());
        services.AddRpcService<ComputeManager>(Role);
    }

    /// <summary>Security groups enforced with iptables; registered before the RPC service so the chains are rebuilt before it takes messages.</summary>
    private static void AddFirewall(IServiceCollection services)
    {
        services.AddSingleton<IFirewallCommands>(sp => new FirewallCommands(
            sp.GetRequiredService<IOptions<NetworkFlags>>().Value.RootHelper.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        services.AddSingleton<IptablesFirewallDriver>();
        services.AddSingleton<FirewallManager>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<FirewallManager>());
    }
}
