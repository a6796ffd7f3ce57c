using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>Role "swift-proxy": the object store's proxy: authentication and the Swift API (swift-proxy-server). Topics: swift-proxy, swift-proxy.&lt;host&gt;, swift-proxy_fanout. Flags: <see cref="SwiftProxyFlags"/>.</summary>
public sealed class SwiftProxyModule : ICloudModule
{
    public string Role => "swift-proxy";

    public string LogName => "swift";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(SwiftProxyFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags) =>
        services.AddOptions<SwiftProxyFlags>().Bind(flags);

    public void AddRole(IServiceCollection services, IConfiguration flags) =>
        services.AddRpcService<IdleManager>(Role);
}
