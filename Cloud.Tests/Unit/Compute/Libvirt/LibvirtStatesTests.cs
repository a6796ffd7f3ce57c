using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Kernel.Flags;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Compute.Libvirt;

/// <summary>libvirt's states and events as nova's power states, and the driver's start-up checks.</summary>
public sealed class LibvirtStatesTests
{
    [TestCase(0, 0, PowerState.NoState)]
    [TestCase(1, 1, PowerState.Running)]
    [TestCase(2, 0, PowerState.Running)]
    [TestCase(3, 1, PowerState.Paused)]
    [TestCase(4, 1, PowerState.Shutdown)]
    [TestCase(5, 1, PowerState.Shutdown)]
    [TestCase(5, 2, PowerState.Shutdown)]
    [TestCase(5, 3, PowerState.Crashed)]
    [TestCase(6, 0, PowerState.Crashed)]
    [TestCase(7, 0, PowerState.Suspended)]
    public void Domain_states_map_to_novas_power_states(int state, int reason, PowerState expected) =>
        LibvirtStates.FromDomainState(state, reason).Should().Be(expected);

    [TestCase(2, 0, PowerState.Running)]
    [TestCase(4, 0, PowerState.Running)]
    [TestCase(3, 0, PowerState.Paused)]
    [TestCase(5, 0, PowerState.Shutdown)]
    [TestCase(5, 1, PowerState.Shutdown)]
    [TestCase(5, 2, PowerState.Crashed)]
    [TestCase(5, 5, PowerState.Crashed)]
    [TestCase(8, 0, PowerState.Crashed)]
    public void Lifecycle_events_map_to_the_state_they_leave_the_domain_in(int type, int detail, PowerState expected) =>
        LibvirtStates.FromEvent(type, detail).Should().Be(expected);

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(6)]
    public void Define_undefine_and_shutdown_events_change_no_state(int type) => LibvirtStates.FromEvent(type, 0).Should().BeNull();

    [Test]
    public void Domain_object_paths_give_the_domain_uuid() =>
        LibvirtDbus.UuidOf("/org/libvirt/QEMU/domain/_77a5d4e9_9204_442d_a283_f3b41e684a14").Should().Be("77a5d4e9-9204-442d-a283-f3b41e684a14");

    [Test]
    public void Kvm_is_refused_without_vmx_or_svm_and_the_message_says_to_use_qemu()
    {
        var check = () => LibvirtHost.CheckDomainType("kvm", "processor\t: 0\nflags\t\t: fpu vme de pse sse2 hypervisor\n", devKvmExists: true);

        check.Should().Throw<FlagException>().WithMessage("--libvirt_type=kvm: KVM cannot run guests on this host (the CPU has no hardware virtualization (no vmx/svm flag in /proc/cpuinfo)); start the compute role with --libvirt_type=qemu*");
    }

    [Test]
    public void Kvm_is_accepted_with_svm_and_dev_kvm_and_qemu_always_while_other_types_are_refused()
    {
        LibvirtHost.CheckDomainType("kvm", "flags\t\t: fpu svm sse2\n", devKvmExists: true);
        LibvirtHost.CheckDomainType("qemu", "", devKvmExists: false);
        var noDevice = () => LibvirtHost.CheckDomainType("kvm", "flags\t\t: vmx\n", devKvmExists: false);
        noDevice.Should().Throw<FlagException>().WithMessage("*/dev/kvm does not exist*--libvirt_type=qemu*");
        var xen = () => LibvirtHost.CheckDomainType("xen", "", devKvmExists: false);
        xen.Should().Throw<FlagException>().WithMessage("--libvirt_type=xen: *");
    }

    [Test]
    public void The_uri_selects_the_libvirt_dbus_connect_object()
    {
        LibvirtHost.ConnectPath("", "qemu").Should().Be("/org/libvirt/QEMU");
        LibvirtHost.ConnectPath("qemu:///system", "kvm").Should().Be("/org/libvirt/QEMU");
        LibvirtHost.ConnectPath("test:///default", "qemu").Should().Be("/org/libvirt/Test");
        var remote = () => LibvirtHost.ConnectPath("qemu+ssh://h/system", "qemu");
        remote.Should().Throw<FlagException>();
    }
}
