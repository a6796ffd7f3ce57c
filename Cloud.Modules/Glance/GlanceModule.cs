using Cloud.Modules.Glance.Cache;
using Cloud.Modules.Glance.Import;
using Cloud.Modules.Glance.Metadefs;
using Cloud.Modules.Glance.Tasks;
using Cloud.Modules.Glance.Registry;
using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Glance.V1;
using Cloud.Modules.Glance.V2;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Http;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Glance;

/// <summary>
/// Role "glance": the image service: registry and stores (glance-api, glance-registry), serving the image API v1 and v2 on
/// <c>glance_listen</c>:<c>glance_port</c>. Topics: glance, glance.&lt;host&gt;, glance_fanout. Flags: <see cref="GlanceFlags"/>,
/// <see cref="GlanceSwiftStoreFlags"/>, <see cref="ImageCacheFlags"/>, <see cref="ImageReaderFlags"/> (read by other hosts' <see cref="ImageDownloadApi"/>).
/// </summary>
public sealed class GlanceModule : ICloudModule
{
    public string Role => "glance";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(GlanceFlags), typeof(GlanceSwiftStoreFlags), typeof(ImageCacheFlags), typeof(ImageReaderFlags)];

    /// <summary>Registry, store, cache and <see cref="ImageApi"/>, so any role (compute fetching images) can use them in-process.</summary>
    public void AddClient(IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<GlanceFlags>().Bind(flags);
        services.AddSingleton<ImageRegistry>();
        services.AddSingleton<ImageMembers>();
        services.AddOptions<GlanceSwiftStoreFlags>().Bind(flags);
        services.AddSingleton(sp => ImageStores.FromFlags(
            sp.GetRequiredService<IOptions<GlanceFlags>>().Value,
            sp.GetRequiredService<IOptions<GlanceSwiftStoreFlags>>().Value,
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan }));
        services.AddSingleton<IImageStore>(sp => sp.GetRequiredService<ImageStoreSet>());
        services.AddSingleton<GlanceQuotas>();
        services.AddSingleton<ImageApi>();
        // API nodes and compute hosts both keep an image cache, so it belongs to the client side.
        services.AddOptions<ImageCacheFlags>().Bind(flags);
        services.AddSingleton(sp => new ImageCache(sp.GetRequiredService<IOptions<ImageCacheFlags>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IImageSource, StoreImageSource>();
        services.AddSingleton<ImageCachePrefetcher>();
        // Compute and volume hosts download images over HTTP as the image reader (they may hold no store).
        services.AddOptions<ImageReaderFlags>().Bind(flags);
        services.AddSingleton(sp => new ImageReaderToken(
            new HttpClient { Timeout = TimeSpan.FromSeconds(30) },
            sp.GetRequiredService<IOptions<ImageReaderFlags>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ImageDownloadApi(
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<IOptions<GlanceFlags>>(),
            sp.GetRequiredService<ImageReaderToken>()));
    }

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
        services.AddRpcService<GlanceManager>(Role);
        services.AddSingleton<ImageReaders>();
        services.AddSingleton<GlanceCaller>();
        services.AddSingleton<ImagesRoutes>();
        services.AddSingleton<ImageDataRoutes>();
        services.AddSingleton<MembersRoutes>();
        services.AddSingleton<TaskRegistry>();
        services.AddSingleton<ImageImporter>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ImageImporter>());
        services.AddSingleton<ImportRoutes>();
        services.AddSingleton<TasksRoutes>();
        services.AddSingleton<InfoRoutes>();
        services.AddSingleton<MetadefCatalog>();
        services.AddSingleton<MetadefsRoutes>();
        services.AddSingleton<GlanceV2Routes>();
        services.AddSingleton<V1ImagesRoutes>();
        services.AddSingleton<V1MembersRoutes>();
        services.AddSingleton<GlanceV1Routes>();
        services.AddSingleton<GlanceRoutes>();
        services.AddSingleton<IHostedService>(sp =>
        {
            var glance = sp.GetRequiredService<IOptions<GlanceFlags>>().Value;
            // Resolving the routes resolves the store: a bad --default_store stops the role at start, not at the first upload.
            return new HttpServer(
                new HttpServerOptions(Role, "Glance", glance.GlanceListen, glance.GlancePort, sp.GetRequiredService<GlanceRoutes>().Map,
                    GlanceJson.WriteErrorAsync, glance.ImageSizeCap, PortFlag: "glance_port", Sockets: EagerReceive.Configure,
                    ReceiveBlockBytes: LargeBlockMemoryPool.BulkBlockSize),
                sp.GetRequiredService<ILoggerFactory>());
        });
    }
}
