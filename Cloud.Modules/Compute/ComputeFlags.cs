using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Compute;

/// <summary>Flags of the compute role: the hypervisor and where instances live.</summary>
public sealed class ComputeFlags : IValidatedFlags
{
    [ConfigurationKeyName("compute_driver")]
    [Description("Virtualization driver: libvirt, or fake (a test double for scheduler benchmarks).")]
    public string ComputeDriver { get; set; } = "libvirt";

    [ConfigurationKeyName("libvirt_type")]
    [Description("libvirt domain type: kvm (hardware virtualization; refused at start-up where KVM cannot work) or qemu (software emulation).")]
    public string LibvirtType { get; set; } = "kvm";

    [ConfigurationKeyName("libvirt_uri")]
    [Description("libvirt connection URI; empty: derived from --libvirt_type (qemu:///system for kvm and qemu, the only URI libvirt-dbus serves here).")]
    public string LibvirtUri { get; set; } = "";

    [ConfigurationKeyName("instances_path")]
    [Description("Directory holding the instances' disks and files.")]
    public string InstancesPath { get; set; } = "$state_path/instances";

    [ConfigurationKeyName("allow_same_net_traffic")]
    [Description("Admit traffic from an instance's own fixed network (other instances, the gateway) without a security group rule, as nova does; false: only the groups' rules admit anything.")]
    public bool AllowSameNetTraffic { get; set; } = true;

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(ComputeDriver is "libvirt" or "fake", "compute_driver", ComputeDriver, "use libvirt (or fake, a test double)");
    }
}
