using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Compute;

/// <summary>Role "compute": runs instances on this host (nova-compute). Topics: compute, compute.&lt;host&gt;, compute_fanout. Flags: <see cref="ComputeFlags"/>.</summary>
public sealed class ComputeModule : ICloudModule
{
    public string Role => "compute";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(ComputeFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags) =>
        services.AddOptions<ComputeFlags>().Bind(flags);

    public void AddRole(IServiceCollection services, IConfiguration flags) =>
        services.AddRpcService<IdleManager>(Role);
}
