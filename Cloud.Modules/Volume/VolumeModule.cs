using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Volume;

/// <summary>Role "volume": block volumes on LVM, exported over iSCSI (nova-volume). Topics: volume, volume.&lt;host&gt;, volume_fanout. Flags: <see cref="VolumeFlags"/>.</summary>
public sealed class VolumeModule : ICloudModule
{
    public string Role => "volume";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(VolumeFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags) =>
        services.AddOptions<VolumeFlags>().Bind(flags);

    public void AddRole(IServiceCollection services, IConfiguration flags) =>
        services.AddRpcService<IdleManager>(Role);
}
