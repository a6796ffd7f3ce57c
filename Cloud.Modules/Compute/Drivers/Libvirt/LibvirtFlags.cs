using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// Flags of the libvirt driver beyond <see cref="ComputeFlags"/> (which holds nova's <c>libvirt_type</c>,
/// <c>libvirt_uri</c> and <c>instances_path</c>); only read with <c>--compute_driver=libvirt</c>.
/// </summary>
public sealed class LibvirtFlags : IValidatedFlags
{
    [ConfigurationKeyName("libvirt_kernel_cmdline")]
    [Description("Kernel command line of instances booted from a kernel image (console=ttyS0 feeds the console log).")]
    public string KernelCmdline { get; set; } = "root=/dev/vda console=ttyS0 panic=-1";

    [ConfigurationKeyName("libvirt_shutdown_timeout")]
    [Description("Seconds a stop waits for the guest to shut down cleanly (ACPI) before destroying the domain; 0 destroys at once.")]
    public int ShutdownTimeout { get; set; } = 60;

    [ConfigurationKeyName("force_config_drive")]
    [Description("Give every instance a config drive (an ISO9660 disk labelled config-2 with openstack/latest/meta_data.json, network_data.json and user_data), as nova's force_config_drive. Instances get one anyway with --flat_injected.")]
    public bool ForceConfigDrive { get; set; }

    [ConfigurationKeyName("libvirt_volume_detach_timeout")]
    [Description("Seconds a volume detach waits for the running guest to release the disk before it fails (the volume stays in-use).")]
    public int VolumeDetachTimeout { get; set; } = 60;

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(ShutdownTimeout >= 0, "libvirt_shutdown_timeout", ShutdownTimeout, "must be 0 (destroy at once) or more seconds");
        FlagError.Require(VolumeDetachTimeout > 0, "libvirt_volume_detach_timeout", VolumeDetachTimeout, "must be at least 1 second");
    }
}
