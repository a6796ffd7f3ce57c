using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Glance;

/// <summary>Role "glance": the image service: registry and stores (glance-api, glance-registry). Topics: glance, glance.&lt;host&gt;, glance_fanout. Flags: <see cref="GlanceFlags"/>, <see cref="GlanceSwiftStoreFlags"/>.</summary>
public sealed class GlanceModule : ICloudModule
{
    public string Role => "glance";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(GlanceFlags), typeof(GlanceSwiftStoreFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags) =>
        services.AddOptions<GlanceFlags>().Bind(flags);

    public void AddRole(IServiceCollection services, IConfiguration flags) =>
        services.AddRpcService<IdleManager>(Role);
}
