using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Network;

/// <summary>Role "network": fixed and floating IPs, bridges, DHCP and NAT (nova-network). Topics: network, network.&lt;host&gt;, network_fanout. Flags: <see cref="NetworkFlags"/>.</summary>
public sealed class NetworkModule : ICloudModule
{
    public string Role => "network";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(NetworkFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags) =>
        services.AddOptions<NetworkFlags>().Bind(flags);

    public void AddRole(IServiceCollection services, IConfiguration flags) =>
        services.AddRpcService<IdleManager>(Role);
}
