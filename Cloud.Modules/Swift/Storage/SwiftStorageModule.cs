using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Swift.Storage;

/// <summary>Role "swift-storage": the object store's account, container and object servers (swift-*-server). Topics: swift-storage, swift-storage.&lt;host&gt;, swift-storage_fanout. Flags: <see cref="SwiftStorageFlags"/>.</summary>
public sealed class SwiftStorageModule : ICloudModule
{
    public string Role => "swift-storage";

    public string LogName => "swift";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(SwiftStorageFlags), typeof(Common.SwiftHashFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags) =>
        services.AddOptions<SwiftStorageFlags>().Bind(flags);

    public void AddRole(IServiceCollection services, IConfiguration flags) =>
        services.AddRpcService<IdleManager>(Role);
}
