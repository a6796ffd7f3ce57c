using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Host;
using Cloud.Modules.Network.Db;
using Cloud.Modules.Network.Drivers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Network;

/// <summary>
/// Role "network": fixed IPs, bridges, DHCP and the metadata DNAT (nova-network's FlatDHCPManager, see
/// <see cref="FlatDhcpManager"/>). Topics: network, network.&lt;host&gt;, network_fanout. Flags: <see cref="NetworkFlags"/>.
/// Every host gets <see cref="NetworkApi"/>, <see cref="NetworkRpcClient"/> and <see cref="InstanceNetworkingApi"/> with its
/// <see cref="LinuxNetDriver"/> (compute hosts ensure bridges too).
/// </summary>
public sealed class NetworkModule : ICloudModule
{
    public string Role => "network";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(NetworkFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<NetworkFlags>().Bind(flags);
        services.AddSingleton<NetworkStore>();
        services.AddSingleton<NetworkApi>();
        services.AddSingleton<FixedIpStore>();
        services.AddSingleton<FixedIpApi>();
        services.AddSingleton<NetworkRpcClient>();
        services.AddSingleton(sp => new CommandRunner(
            sp.GetRequiredService<IOptions<NetworkFlags>>().Value.RootHelper.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            sp.GetRequiredService<ILogger<CommandRunner>>()));
        services.AddSingleton<LinuxNetDriver>();
        services.AddSingleton<FloatingIpStore>();
        services.AddSingleton<FloatingIpSync>();
        services.AddSingleton<FloatingIpApi>();
        services.AddSingleton<IHostCommands>(sp => sp.GetRequiredService<CommandRunner>());
        services.AddSingleton<VlanNetDriver>();
        services.AddSingleton<VlanNetworkStore>();
        services.AddSingleton<VlanLinks>();
        services.AddSingleton<InstanceNetworkingApi>();
    }

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
        var manager = NetworkManagers.Require(flags.GetValue<string>("network_manager") ?? new NetworkFlags().NetworkManager);
        if (manager == NetworkManagers.Vlan)
        {
            services.AddSingleton<INetworkTopology, VlanTopology>();
        }
        else
        {
            services.AddSingleton<INetworkTopology, FlatTopology>();
        }
        // Registered before the RPC service so the networks are set up before the role takes messages, and torn down after.
        services.AddSingleton<FloatingIpDriver>();
        services.AddSingleton<FloatingIpHost>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<FlatDhcpManager>());
        services.AddSingleton<StaleNetworkRemover>();
        services.AddRpcService<FlatDhcpManager>(Role);
    }
}
