using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Swift.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Role "swift-storage": the object store's object (<c>swift_object_port</c>, 6000), container (6001) and
/// account (6002) servers over the devices under <c>swift_devices</c> (swift-*-server). Topics: swift-storage,
/// swift-storage.&lt;host&gt;, swift-storage_fanout. Flags: <see cref="SwiftStorageFlags"/>, <see cref="SwiftHashFlags"/>.
/// </summary>
public sealed class SwiftStorageModule : ICloudModule
{
    public string Role => "swift-storage";

    public string LogName => "swift";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(SwiftStorageFlags), typeof(SwiftHashFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<SwiftStorageFlags>().Bind(flags);
        services.AddOptions<SwiftHashFlags>().Bind(flags);
        services.AddSingleton(sp => SwiftHash.From(sp.GetRequiredService<IOptions<SwiftHashFlags>>().Value));
    }

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
        services.AddRpcService<IdleManager>(Role);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SwiftStorageFlags>>().Value);
        services.AddSingleton<ObjectServer>();
        services.AddSingleton<ContainerServer>();
        services.AddSingleton<AccountServer>();
        services.AddSingleton<IHostedService>(sp =>
        {
            var storage = sp.GetRequiredService<SwiftStorageFlags>();
            return new HttpServer(
                new HttpServerOptions(Role, "ObjectServer", storage.SwiftStorageListen, storage.SwiftObjectPort,
                    sp.GetRequiredService<ObjectServer>().Map, ObjectServer.WriteErrorAsync, ObjectServer.MaxObjectBytes),
                sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton<IHostedService>(sp => new HttpServer(sp.GetRequiredService<ContainerServer>().HttpOptions(Role), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IHostedService>(sp => new HttpServer(sp.GetRequiredService<AccountServer>().HttpOptions(Role), sp.GetRequiredService<ILoggerFactory>()));
    }
}
