using System.Globalization;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Kernel.Service;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy.Controllers;
using Cloud.Modules.Swift.Proxy.Middleware;
using Cloud.Modules.Swift.Proxy.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// Role "swift-proxy": the object store's proxy: tempauth and the Swift API on <c>swift_proxy_bind</c>
/// (swift-proxy-server; HTTPS with <c>swift_cert_file</c>/<c>swift_key_file</c>), over the storage servers the rings in
/// <c>swift_dir</c> name. Topics: swift-proxy, swift-proxy.&lt;host&gt;, swift-proxy_fanout. Flags: <see cref="SwiftProxyFlags"/>,
/// <see cref="SwiftRingFlags"/>.
/// </summary>
public sealed class SwiftProxyModule : ICloudModule
{
    public string Role => "swift-proxy";

    public string LogName => "swift";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(SwiftProxyFlags), typeof(SwiftRingFlags), typeof(SwiftWebFlags), typeof(SwiftContainerSyncFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<SwiftProxyFlags>().Bind(flags);
        services.AddOptions<SwiftRingFlags>().Bind(flags);
        services.AddOptions<SwiftWebFlags>().Bind(flags);
        services.AddOptions<SwiftContainerSyncFlags>().Bind(flags);
    }

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
        services.AddRpcService<IdleManager>(Role);
        services.AddSingleton(AuthSettings);
        services.AddSingleton(sp => new TempAuth(
            sp.GetRequiredService<SwiftProxyAuthSettings>().TempauthUsers, sp.GetRequiredService<IOptions<SwiftProxyFlags>>().Value.SwiftTokenLife,
            sp.GetRequiredService<Kernel.Cache.ISharedCache>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<SwiftRings>();
        services.AddSingleton<SwiftBackend>();
        services.AddSingleton<ProxyAccountQuota>();
        services.AddSingleton<AccountController>();
        services.AddSingleton<ContainerController>();
        services.AddSingleton<ProxyContainerUpdates>();
        services.AddSingleton(sp => new ProxyInfoCache(sp.GetRequiredService<SwiftRings>(), sp.GetRequiredService<SwiftBackend>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<ProxyContainerPolicy>();
        services.AddSingleton<ProxySegmentReader>();
        services.AddSingleton<ProxySloHandler>();
        services.AddSingleton<ProxyDloHandler>();
        services.AddSingleton<LargeObjects.LargeObjectReads>();
        services.AddSingleton<LargeObjects.LargeObjectCopies>();
        services.AddSingleton<ProxyObjectRead>();
        services.AddSingleton<ObjectController>();
        services.AddSingleton<SwiftProxyAuthorizer>();
        AddPipeline(services);
        services.AddSingleton<SwiftProxyServer>();
        services.AddSingleton<IHostedService>(sp =>
        {
            var proxy = sp.GetRequiredService<IOptions<SwiftProxyFlags>>().Value;
            var (host, port) = ParseBind(proxy.SwiftProxyBind);
            return new HttpServer(
                new HttpServerOptions(Role, "swift-proxy-server", host, port, sp.GetRequiredService<SwiftProxyServer>().Map,
                    SwiftProxyReply.ErrorAsync, SwiftProxyServer.MaxFileSize,
                    TlsFiles.From(proxy.SwiftCertFile, proxy.SwiftKeyFile, "swift_cert_file/swift_key_file"), PortFlag: "swift_proxy_bind",
                    Kestrel: SwiftKestrel.Configure, NewRequestId: SwiftTransactionId.New, RequestIdHeaders: SwiftTransactionId.Headers,
                    Sockets: EagerReceive.Configure, ReceiveBlockBytes: LargeBlockMemoryPool.BulkBlockSize),
                sp.GetRequiredService<ILoggerFactory>());
        });
    }

    private static void AddPipeline(IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SwiftProxyFlags>>().Value.Filters());
        services.AddSingleton<CatchErrorsMiddleware>();
        services.AddSingleton<GatekeeperMiddleware>();
        services.AddSingleton<HealthcheckMiddleware>();
        services.AddSingleton<ContainerSyncMiddleware>();
        services.AddSingleton<BulkMiddleware>();
        services.AddSingleton<InfoMiddleware>();
        services.AddSingleton<TempUrlMiddleware>();
        services.AddSingleton<Middleware.TempUrl.TempUrlKeys>();
        services.AddSingleton<FormPostMiddleware>();
        services.AddSingleton<TempAuthMiddleware>();
        services.AddSingleton<AccountAuthMiddleware>();
        services.AddSingleton<ContainerAclMiddleware>();
        services.AddSingleton<NameLimitsMiddleware>();
        services.AddSingleton<MetadataLimitsMiddleware>();
        services.AddSingleton<SloMiddleware>();
        services.AddSingleton<CopyMiddleware>();
        services.AddSingleton<Middleware.Versioning.VersionCopies>();
        services.AddSingleton<VersionedWritesMiddleware>();
        services.AddSingleton<ObjectVersioningMiddleware>();
        services.AddSingleton<DomainRemapMiddleware>();
        services.AddSingleton<RatelimitMiddleware>();
        services.AddSingleton<CorsMiddleware>();
        services.AddSingleton<Middleware.StaticWeb.StaticWebMiddleware>();
        services.AddSingleton<ContainerQuotasMiddleware>();
        services.AddSingleton<SymlinkMiddleware>();
        services.AddSingleton<SwiftProxyPipeline>();
    }

    /// <summary>
    /// Who may use the proxy. There is no default user: without <c>swift_tempauth_users</c> and <c>swift_keystone_auth</c>
    /// the proxy refuses to start, except in an all-in-one object store, which generates its operator's user and takes
    /// Keystone tokens (it also builds its rings, here, before any server listens).
    /// </summary>
    /// <exception cref="FlagException">Nobody could ever authenticate.</exception>
    private static SwiftProxyAuthSettings AuthSettings(IServiceProvider sp)
    {
        var flags = sp.GetRequiredService<IOptions<SwiftProxyFlags>>().Value;
        var users = flags.SwiftTempauthUsers.Trim();
        if (sp.GetService<Storage.AllInOne.SwiftAllInOne>() is { Enabled: true } allInOne)
        {
            allInOne.EnsureRings();
            return new(users.Length > 0 ? users : allInOne.EnsureOperatorUser(), Keystone: true, flags.KeystoneRules());
        }
        if (users.Length == 0 && !flags.SwiftKeystoneAuth)
        {
            throw FlagError.Of("--swift_tempauth_users is empty and --swift_keystone_auth is off: the swift proxy has no default user; "
                + "configure account:user:key[:.admin] (a generated key, e.g. openssl rand -hex 24) or accept Keystone tokens");
        }
        return new(users, flags.SwiftKeystoneAuth, flags.KeystoneRules());
    }

    /// <summary>Splits <c>host:port</c> (IPv6 in brackets).</summary>
    /// <exception cref="ArgumentException">No valid port.</exception>
    public static (string Host, int Port) ParseBind(string bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        var colon = bind.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(bind.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"swift_proxy_bind '{bind}' is not host:port");
        }
        return (bind[..colon].Trim('[', ']'), port);
    }
}
