using Cloud.Modules.Kernel;
using Cloud.Modules.Volume.Db;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cloud.Modules.Volume;

/// <summary>
/// Role "volume": volumes and snapshots on this host's backing store, exported over iSCSI (nova-volume). Topics: volume,
/// volume.&lt;host&gt;, volume_fanout. Flags: <see cref="VolumeFlags"/>. Every host gets <see cref="VolumeApi"/> and
/// <see cref="VolumeRpcClient"/>; the scheduler module provides the <see cref="IVolumeScheduler"/> port. The role runs
/// <see cref="VolumeManager"/> with the drivers <c>--volume_driver</c> and <c>--iscsi_helper</c> name.
/// </summary>
public sealed class VolumeModule : ICloudModule
{
    public string Role => "volume";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(VolumeFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<VolumeFlags>().Bind(flags);
        services.AddSingleton<VolumeStore>();
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<IscsiTargetStore>();
        services.AddSingleton<VolumeHostStore>();
        services.AddSingleton<VolumeQuotas>();
        services.AddSingleton<VolumeRpcClient>();
        services.AddSingleton<VolumeSnapshots>();
        services.AddSingleton<VolumeAttachments>();
        services.AddSingleton<VolumeImageStore>();
        services.AddSingleton<VolumeImages>();
        services.AddSingleton<VolumeApi>();
    }

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
        services.AddSingleton(VolumeDrivers.BackingStoreFor);
        services.AddSingleton(VolumeDrivers.TargetFor);
        services.AddSingleton<VolumeNames>();
        services.AddSingleton<VolumeExports>();
        services.AddSingleton<VolumeImageWriter>();
        // Registered before the RPC service so the exports are rebuilt (and tgtd checked) before the role takes messages.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<VolumeManager>());
        services.AddRpcService<VolumeManager>(Role);
    }
}
