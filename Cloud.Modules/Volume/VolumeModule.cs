using Cloud.Modules.Kernel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Volume;

/// <summary>
/// Role "volume": volumes and snapshots on this host's backing store, exported over iSCSI (nova-volume). Topics: volume,
/// volume.&lt;host&gt;, volume_fanout. Flags: <see cref="VolumeFlags"/>. Every host gets <see cref="VolumeApi"/>.
/// </summary>
public sealed class VolumeModule : ICloudModule
{
    public string Role => "volume";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(VolumeFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<VolumeFlags>().Bind(flags);
        services.AddSingleton<VolumeApi>();
    }

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
        // The manager, drivers and exports come with the volume role's implementation.
    }
}
