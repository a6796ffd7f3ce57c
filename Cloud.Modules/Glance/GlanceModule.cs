using Cloud.Modules.Glance.Cache;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Glance;

/// <summary>Role "glance": the image service: registry and stores (glance-api, glance-registry). Topics: glance, glance.&lt;host&gt;, glance_fanout. Flags: <see cref="GlanceFlags"/>, <see cref="GlanceSwiftStoreFlags"/>, <see cref="ImageCacheFlags"/>.</summary>
public sealed class GlanceModule : ICloudModule
{
    public string Role => "glance";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(GlanceFlags), typeof(GlanceSwiftStoreFlags), typeof(ImageCacheFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<GlanceFlags>().Bind(flags);
        // API nodes and compute hosts both keep an image cache, so it belongs to the client side.
        services.AddOptions<ImageCacheFlags>().Bind(flags);
        services.AddSingleton(sp => new ImageCache(sp.GetRequiredService<IOptions<ImageCacheFlags>>().Value, sp.GetRequiredService<TimeProvider>()));
    }

    public void AddRole(IServiceCollection services, IConfiguration flags) =>
        services.AddRpcService<IdleManager>(Role);
}
