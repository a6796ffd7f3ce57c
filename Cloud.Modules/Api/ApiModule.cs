using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Api;

/// <summary>Role "api": the OpenStack, EC2 and Keystone HTTP APIs (nova-api). Topics: api, api.&lt;host&gt;, api_fanout. Flags: <see cref="ApiFlags"/>.</summary>
public sealed class ApiModule : ICloudModule
{
    public string Role => "api";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(ApiFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags) =>
        services.AddOptions<ApiFlags>().Bind(flags);

    public void AddRole(IServiceCollection services, IConfiguration flags) =>
        services.AddRpcService<IdleManager>(Role);
}
