using Cloud.Modules.Kernel;
using Cloud.Modules.Volume.Db;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Volume;

/// <summary>
/// Role "volume": volumes and snapshots on this host's backing store, exported over iSCSI (nova-volume). Topics: volume,
/// volume.&lt;host&gt;, volume_fanout. Flags: <see cref="VolumeFlags"/>. Every host gets <see cref="VolumeApi"/> and
/// <see cref="VolumeRpcClient"/>; the scheduler module provides the <see cref="IVolumeScheduler"/> port.
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
        services.AddSingleton<VolumeApi>();
    }

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
        // The manager, drivers and exports come with the volume role's implementation.
    }
}
