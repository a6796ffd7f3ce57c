using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Modules.Scheduler;

/// <summary>Role "scheduler": picks the host for each new instance and volume (nova-scheduler). Topics: scheduler, scheduler.&lt;host&gt;, scheduler_fanout. Flags: <see cref="SchedulerFlags"/>.</summary>
public sealed class SchedulerModule : ICloudModule
{
    public string Role => "scheduler";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(SchedulerFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags) =>
        services.AddOptions<SchedulerFlags>().Bind(flags);

    public void AddRole(IServiceCollection services, IConfiguration flags) =>
        services.AddRpcService<IdleManager>(Role);
}
