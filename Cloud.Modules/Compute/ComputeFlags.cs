using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Compute;

/// <summary>Flags of the compute role: the hypervisor and where instances live.</summary>
public sealed class ComputeFlags
{
    /// <summary>Virtualization driver: <c>libvirt</c> or <c>fake</c> (a test double). Default: libvirt.</summary>
    [ConfigurationKeyName("compute_driver")]
    [Description("Virtualization driver: libvirt, or fake (a test double for scheduler benchmarks).")]
    public string ComputeDriver { get; set; } = "libvirt";

    /// <summary>libvirt domain type: kvm (hardware virtualization) or qemu (TCG software emulation). Default: kvm, refused at start-up where KVM cannot work.</summary>
    [ConfigurationKeyName("libvirt_type")]
    [Description("libvirt domain type: kvm (hardware virtualization; refused at start-up where KVM cannot work) or qemu (software emulation).")]
    public string LibvirtType { get; set; } = "kvm";

    /// <summary>libvirt connection URI; empty derives it from libvirt_type. Default: empty.</summary>
    [ConfigurationKeyName("libvirt_uri")]
    [Description("libvirt connection URI; empty: derived from --libvirt_type (qemu:///system for kvm and qemu, the only URI libvirt-dbus serves here).")]
    public string LibvirtUri { get; set; } = "";

    /// <summary>Directory of instance disks and files. Default: $state_path/instances.</summary>
    [ConfigurationKeyName("instances_path")]
    [Description("Directory holding the instances' disks and files.")]
    public string InstancesPath { get; set; } = "$state_path/instances";
}
