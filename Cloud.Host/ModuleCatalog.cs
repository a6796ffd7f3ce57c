using Cloud.Modules.Api;
using Cloud.Modules.Compute;
using Cloud.Modules.Glance;
using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Network;
using Cloud.Modules.Scheduler;
using Cloud.Modules.Swift.Proxy;
using Cloud.Modules.Swift.Storage;
using Cloud.Modules.Volume;

namespace Cloud.Host;

/// <summary>Every module of cloudd, in the order roles start. An explicit list, not an assembly scan.</summary>
public static class ModuleCatalog
{
    public static IReadOnlyList<ICloudModule> All { get; } =
    [
        new IdentityModule(),
        new ApiModule(),
        new SchedulerModule(),
        new ComputeModule(),
        new NetworkModule(),
        new VolumeModule(),
        new GlanceModule(),
        new SwiftProxyModule(),
        new SwiftStorageModule(),
    ];

    /// <summary>Every flags class: the kernel's and every module's, whatever roles run.</summary>
    public static IEnumerable<Type> FlagTypes => CloudKernel.FlagTypes.Concat(All.SelectMany(m => m.FlagTypes));
}
