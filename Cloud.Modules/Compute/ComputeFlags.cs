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

    [ConfigurationKeyName("running_deleted_instance_action")]
    [Description("What the compute host does with a guest no live instance of this host owns (its instance deleted, unknown, or placed on another host): noop, log (a warning each poll), shutdown (power it off) or reap (destroy it and release its firewall and network), as nova.")]
    public string RunningDeletedInstanceAction { get; set; } = GuestReconciler.Reap;

    [ConfigurationKeyName("running_deleted_instance_poll_interval")]
    [Description("Seconds between the compute host's comparisons of its hypervisor's guests with its instances (also done at start); 0: never.")]
    public int RunningDeletedInstancePollInterval { get; set; } = 60;

    [ConfigurationKeyName("running_deleted_instance_timeout")]
    [Description("Seconds a deleted instance's guest may keep running before --running_deleted_instance_action is taken on it.")]
    public int RunningDeletedInstanceTimeout { get; set; }

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(ComputeDriver is "libvirt" or "fake", "compute_driver", ComputeDriver, "use libvirt (or fake, a test double)");
        FlagError.Require(GuestReconciler.Actions.Contains(RunningDeletedInstanceAction), "running_deleted_instance_action", RunningDeletedInstanceAction, "use noop, log, shutdown or reap");
        FlagError.Require(RunningDeletedInstancePollInterval >= 0, "running_deleted_instance_poll_interval", RunningDeletedInstancePollInterval, "must be 0 (never) or more seconds");
        FlagError.Require(RunningDeletedInstanceTimeout >= 0, "running_deleted_instance_timeout", RunningDeletedInstanceTimeout, "must be 0 or more seconds");
    }
}
