using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Scheduler.Weighers;
using Cloud.Modules.Volume;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// Role "scheduler": picks the host for each new instance (nova-scheduler). Topics: scheduler, scheduler.&lt;host&gt;,
/// scheduler_fanout. Flags: <see cref="SchedulerFlags"/>. Every host gets <see cref="SchedulerRpcClient"/>, also as
/// Compute's ports <see cref="IBuildScheduler"/> and <see cref="IMoveScheduler"/> and Volume's port <see cref="IVolumeScheduler"/>.
/// </summary>
public sealed class SchedulerModule : ICloudModule
{
    public string Role => "scheduler";

    public IReadOnlyList<Type> FlagTypes { get; } = [typeof(SchedulerFlags)];

    public void AddClient(IServiceCollection services, IConfiguration flags)
    {
        services.AddOptions<SchedulerFlags>().Bind(flags);
        services.AddSingleton<SchedulerRpcClient>();
        services.AddSingleton<IBuildScheduler>(sp => sp.GetRequiredService<SchedulerRpcClient>());
        services.AddSingleton<IVolumeScheduler>(sp => sp.GetRequiredService<SchedulerRpcClient>());
        services.AddSingleton<IMoveScheduler>(sp => sp.GetRequiredService<SchedulerRpcClient>());
    }

    public void AddRole(IServiceCollection services, IConfiguration flags)
    {
        services.AddSingleton<HostManager>();
        services.AddSingleton<BuildReconciler>();
        services.AddSingleton<VolumePlacement>();
        services.AddSingleton<MoveDestinations>();
        services.AddSingleton(sp => DriverFor(sp.GetRequiredService<IOptions<SchedulerFlags>>().Value));
        services.AddRpcService<SchedulerManager>(Role);
    }

    /// <summary>The policy <c>--scheduler_driver</c> names (flags checked here, when the role starts).</summary>
    public static ISchedulerDriver DriverFor(SchedulerFlags f)
    {
        f.Validate();
        return f.SchedulerDriver switch
        {
            "chance" => new ChanceScheduler(),
            "simple" => new SimpleScheduler(),
            _ => new FilterScheduler(FilterScheduler.FiltersNamed(f.DefaultFilters), [new RamWeigher(f.RamWeightMultiplier)]),
        };
    }
}
