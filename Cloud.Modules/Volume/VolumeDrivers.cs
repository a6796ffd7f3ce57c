using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Host;
using Cloud.Modules.Volume.Drivers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Volume;

/// <summary>The backing store <c>--volume_driver</c> names and the target driver <c>--iscsi_helper</c> names, checked when the role starts.</summary>
public static class VolumeDrivers
{
    public static IVolumeDriver BackingStoreFor(IServiceProvider services)
    {
        var flags = services.GetRequiredService<IOptions<VolumeFlags>>();
        return flags.Value.VolumeDriver switch
        {
            "file" => new FileVolumeDriver(flags, services.GetRequiredService<IOptions<CommonFlags>>(), services.GetRequiredService<ILogger<FileVolumeDriver>>()),
            "lvm" or "nova.volume.driver.ISCSIDriver" or "nova.volume.driver.LVMISCSIDriver" =>
                new LvmVolumeDriver(flags, Commands(services), services.GetRequiredService<ILogger<LvmVolumeDriver>>()),
            var other => throw new InvalidOperationException($"--volume_driver={other} is not a volume driver (file, lvm)"),
        };
    }

    public static IIscsiTargetDriver TargetFor(IServiceProvider services)
    {
        var flags = services.GetRequiredService<IOptions<VolumeFlags>>();
        return flags.Value.IscsiHelper == "tgtadm"
            ? new TgtAdmTargetDriver(flags, Commands(services), services.GetRequiredService<ILogger<TgtAdmTargetDriver>>())
            : throw new InvalidOperationException($"--iscsi_helper={flags.Value.IscsiHelper} is not supported (tgtadm)");
    }

    /// <summary>The volume role's own command runner: tgtadm, lvm and dd run directly (tgtd's control socket is reached from any namespace).</summary>
    private static CommandRunner Commands(IServiceProvider services) => new([], services.GetRequiredService<ILogger<CommandRunner>>());
}
