using Cloud.Modules.Api.Cinder;
using Cloud.Modules.Api.Ec2;
using Cloud.Modules.Api.Keystone;
using Cloud.Modules.Api.Metadata;
using Cloud.Modules.Api.OpenStack;
using Cloud.Modules.Identity.Ec2;
using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Kernel.Reliability;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Api;

/// <summary>
/// Role "api": the OpenStack, EC2 and Keystone HTTP APIs (nova-api, keystone). Serves Keystone v3 on
/// <c>keystone_port</c>, the EC2 Query API on <c>ec2_listen_port</c>, the OpenStack Compute API v2.1 on <c>osapi_compute_listen_port</c>,
/// the Block Storage API v3 (Cinder) on <c>osapi_volume_listen_port</c>
/// and the metadata service guests read on <c>metadata_port</c>. Topics: api, api.&lt;host&gt;, api_fanout. Flags: <see cref="ApiFlags"/>,
/// <see cref="IdentityFlags"/>, <see cref="MetadataFlags"/>.
/// </summary>
public sealed class ApiModule : ICloudModule
{
    public string Role => "api";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(ApiFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags) =>
        services.AddOptions<ApiFlags>().Bind(flags);

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
        services.AddRpcService<IdleManager>(Role);
        // The APIs write rpc_outbox in their create transactions; what the bus did not take is sent again from here.
        services.AddSingleton<IHostedService, RpcOutboxSender>();
        services.AddSingleton<ServiceCatalog>();
        services.AddSingleton<KeystoneV2Routes>();
        services.AddSingleton<KeystoneRoutes>();
        services.AddKeystoneAdmin();
        services.AddSingleton<IKeystoneRoutes, ApplicationCredentialsRoutes>();
        services.AddSingleton<IKeystoneRoutes, AccessRulesRoutes>();
        services.AddSingleton<IKeystoneRoutes, Ec2CredentialsRoutes>();
        services.AddSingleton<IKeystoneRoutes, KeystoneCredentialsRoutes>();
        services.AddSingleton<IHostedService>(sp =>
        {
            var identity = sp.GetRequiredService<IOptions<IdentityFlags>>().Value;
            return new HttpServer(
                new HttpServerOptions(Role, "Keystone", identity.KeystoneListen, identity.KeystonePort,
                    sp.GetRequiredService<KeystoneRoutes>().Map, KeystoneJson.WriteErrorAsync, MaxBodyBytes: 64 * 1024, PortFlag: "keystone_port"),
                sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton<Ec2Images>();
        services.AddSingleton<IEc2Actions, Ec2InstanceActions>();
        services.AddSingleton<IEc2Actions, Ec2ImageActions>();
        services.AddSingleton<IEc2Actions, Ec2KeyPairActions>();
        services.AddSingleton<IEc2Actions, Ec2SecurityGroupActions>();
        services.AddSingleton<IEc2Actions, Ec2AddressActions>();
        services.AddSingleton<IEc2Actions, Ec2VolumeActions>();
        services.AddSingleton<IEc2Actions, Ec2SnapshotActions>();
        services.AddSingleton<Ec2Routes>();
        services.AddSingleton<IHostedService>(sp =>
        {
            var api = sp.GetRequiredService<IOptions<ApiFlags>>().Value;
            return new HttpServer(
                new HttpServerOptions(Role, "EC2", api.Ec2Listen, api.Ec2ListenPort, sp.GetRequiredService<Ec2Routes>().Map, Ec2Routes.WriteServerErrorAsync, PortFlag: "ec2_listen_port"),
                sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton<NovaCaller>();
        services.AddSingleton<ServerDetails>();
        services.AddSingleton<ServerLister>();
        services.AddSingleton<IServerFactsSource, ServerTagFacts>();
        services.AddSingleton<IServerFactsSource, HostStatusFacts>();
        services.AddSingleton<IServerFactsSource, ServerGroupFacts>();
        AddNovaRoutes<ServersRoutes>(services);
        AddNovaRoutes<ServerActionsRoutes>(services);
        AddNovaRoutes<ServerTagsRoutes>(services);
        AddNovaRoutes<ServerMetadataItemRoutes>(services);
        AddNovaRoutes<ServerIpsRoutes>(services);
        AddNovaRoutes<ServerMigrationsRoutes>(services);
        AddNovaRoutes<ProxyApiGate>(services);
        AddNovaRoutes<FlavorsRoutes>(services);
        AddNovaRoutes<FlavorAccessRoutes>(services);
        AddNovaRoutes<FlavorExtraSpecsRoutes>(services);
        AddNovaRoutes<NovaImagesRoutes>(services);
        AddNovaRoutes<KeyPairsRoutes>(services);
        AddNovaRoutes<SecurityGroupsRoutes>(services);
        AddNovaRoutes<ComputeInfoRoutes>(services);
        AddNovaRoutes<FloatingIpsRoutes>(services);
        AddNovaRoutes<VolumeAttachmentsRoutes>(services);
        AddNovaRoutes<NovaVolumesRoutes>(services);
        AddNovaRoutes<NovaQuotaSetsRoutes>(services);
        AddNovaRoutes<ServerGroupsRoutes>(services);
        AddNovaRoutes<MigrationsRoutes>(services);
        services.AddSingleton<IServerAction, RebuildAction>();
        services.AddSingleton<IServerAction, ResizeActions>();
        services.AddSingleton<IServerAction, CreateImageAction>();
        services.AddSingleton<IServerAction, ShelveActions>();
        AddNovaRoutes<InstanceActionsRoutes>(services);
        services.AddSingleton<IServerAction, GuestStateServerActions>();
        services.AddSingleton<IServerAction, LockServerActions>();
        services.AddSingleton<IServerAction, RescueServerActions>();
        services.AddSingleton<IServerAction, ResetStateServerAction>();
        AddNovaRoutes<NovaQuotaClassSetsRoutes>(services);
        AddNovaRoutes<NovaServicesRoutes>(services);
        AddNovaRoutes<NovaHypervisorsRoutes>(services);
        AddNovaRoutes<AvailabilityZoneDetailRoutes>(services);
        AddNovaRoutes<SimpleTenantUsageRoutes>(services);
        AddNovaRoutes<NovaAggregatesRoutes>(services);
        services.AddSingleton<OsapiComputeRoutes>();
        services.AddSingleton<IHostedService>(sp =>
        {
            var api = sp.GetRequiredService<IOptions<ApiFlags>>().Value;
            return new HttpServer(
                new HttpServerOptions(Role, "Compute", api.OsapiComputeListen, api.OsapiComputeListenPort, sp.GetRequiredService<OsapiComputeRoutes>().Map, NovaJson.WriteErrorAsync, MaxBodyBytes: 256 * 1024, PortFlag: "osapi_compute_listen_port"),
                sp.GetRequiredService<ILoggerFactory>());
        });
        AddBlockStorage(services);
        services.AddSingleton<MetadataRoutes>();
        services.AddSingleton<IHostedService>(sp =>
        {
            var metadata = sp.GetRequiredService<IOptions<MetadataFlags>>().Value;
            // Guests need no bodies (GET and HEAD only), but one sent anyway is read and dropped (MetadataRoutes): a limit of
            // 0 made Kestrel close the keep-alive connection after answering, and the guest's next request on it failed.
            return new HttpServer(
                new HttpServerOptions(Role, "Metadata", metadata.MetadataListen, metadata.MetadataPort, sp.GetRequiredService<MetadataRoutes>().Map, MetadataRoutes.WriteErrorAsync, MaxBodyBytes: MetadataRoutes.MaxBodyBytes, PortFlag: "metadata_port"),
                sp.GetRequiredService<ILoggerFactory>());
        });
    }

    /// <summary>The Cinder v3 API on its own port, beside nova's.</summary>
    private void AddBlockStorage(IServiceCollection services)
    {
        services.AddSingleton<CinderCaller>();
        services.AddSingleton<CinderUsage>();
        services.AddSingleton<CinderVolumesRoutes>();
        services.AddSingleton<CinderVolumeMetadataRoutes>();
        services.AddSingleton<CinderVolumeActionsRoutes>();
        services.AddSingleton<CinderSnapshotsRoutes>();
        services.AddSingleton<CinderAttachmentsRoutes>();
        services.AddSingleton<CinderInfoRoutes>();
        services.AddSingleton<CinderQuotaRoutes>();
        services.AddSingleton<CinderRoutes>();
        services.AddSingleton<IHostedService>(sp =>
        {
            var api = sp.GetRequiredService<IOptions<ApiFlags>>().Value;
            return new HttpServer(
                new HttpServerOptions(Role, "BlockStorage", api.OsapiVolumeListen, api.OsapiVolumeListenPort, sp.GetRequiredService<CinderRoutes>().Map, CinderJson.WriteErrorAsync, MaxBodyBytes: 256 * 1024, PortFlag: "osapi_volume_listen_port"),
                sp.GetRequiredService<ILoggerFactory>());
        });
    }

    /// <summary>Registers a Compute API route group both as itself (other groups use ServersRoutes) and as one of the groups mapped.</summary>
    private static void AddNovaRoutes<TRoutes>(IServiceCollection services)
        where TRoutes : class, INovaRoutes
    {
        services.AddSingleton<TRoutes>();
        services.AddSingleton<INovaRoutes>(sp => sp.GetRequiredService<TRoutes>());
    }
}
