using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Bus.Amqp;
using Cloud.Modules.Kernel.Cache;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Reliability;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Kernel;

/// <summary>Registers what every role and tool shares: flags, database, migrations, bus, shared cache and the services table.</summary>
public static class CloudKernel
{
    /// <summary>The kernel's own flags classes.</summary>
    public static IReadOnlyList<Type> FlagTypes { get; } = [typeof(CommonFlags), typeof(BusFlags), typeof(AmqpFlags), typeof(CacheFlags), typeof(MetadataFlags)];

    public static IServiceCollection AddCloudKernel(this IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<CommonFlags>().Bind(flags);
        services.AddOptions<BusFlags>().Bind(flags);
        services.AddOptions<AmqpFlags>().Bind(flags);
        services.AddOptions<CacheFlags>().Bind(flags);
        services.AddOptions<MetadataFlags>().Bind(flags);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => DbConnectionFactory.FromUrl(sp.GetRequiredService<IOptions<CommonFlags>>().Value.SqlConnection));
        services.AddSingleton(sp => new MigrationRunner(
            sp.GetRequiredService<IDbConnectionFactory>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<MigrationRunner>>(),
            lockTimeout: TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<CommonFlags>>().Value.DbSyncLockTimeout)));
        services.AddSingleton<ServiceGroup>();
        services.AddSingleton(_ => RpcMessageRegistry.ForCloud());
        services.AddSingleton<RpcCodec>();
        services.AddSingleton<RpcDispatcher>();
        services.AddSingleton(BusFactory.Create);
        services.AddSingleton<RpcOutbox>();
        services.AddSingleton(SharedCacheFactory.Create);
        return services;
    }

    /// <summary>Runs <typeparamref name="TManager"/> as the service of <paramref name="role"/> (see <see cref="RpcServiceHost"/>).</summary>
    public static IServiceCollection AddRpcService<TManager>(this IServiceCollection services, string role)
        where TManager : class, IRpcEndpoint
    {
        services.AddSingleton<TManager>();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => new RpcServiceHost(
            role,
            sp.GetRequiredService<TManager>(),
            sp.GetRequiredService<IRpcBus>(),
            sp.GetRequiredService<ServiceGroup>(),
            sp.GetRequiredService<IOptions<CommonFlags>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<RpcServiceHost>>()));
        return services;
    }
}
