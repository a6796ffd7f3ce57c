using Cloud.Modules.Kernel.Flags;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>The libvirt driver's start-up checks: a domain type this host can run, a known URI, and libvirt reachable over D-Bus.</summary>
public static class LibvirtHost
{
    private static readonly TimeSpan ReachTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The libvirt-dbus object of <c>--libvirt_uri</c> (empty: qemu:///system, derived from <c>--libvirt_type</c>).</summary>
    public static string ConnectPath(string uri, string domainType)
    {
        var effective = uri.Length > 0 ? uri : "qemu:///system";
        return effective switch
        {
            "qemu:///system" => "/org/libvirt/QEMU",
            "test:///default" => "/org/libvirt/Test",
            _ => throw FlagError.Of($"--libvirt_uri={effective}: libvirt is reached through libvirt-dbus on the system bus, which serves qemu:///system (for --libvirt_type={domainType}); leave --libvirt_uri empty"),
        };
    }

    /// <summary>Refuses a domain type this driver or this host cannot run, saying what to do instead.</summary>
    public static void CheckDomainType(string domainType, string cpuinfo, bool devKvmExists)
    {
        if (domainType is not ("kvm" or "qemu"))
        {
            throw FlagError.Of($"--libvirt_type={domainType}: the libvirt driver runs kvm or qemu domains; use --libvirt_type=kvm (hardware virtualization) or --libvirt_type=qemu (software emulation)");
        }
        if (domainType == "kvm")
        {
            var vt = cpuinfo.Split('\n').Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Split(' ', '\t').Any(f => f is "vmx" or "svm"));
            if (!vt || !devKvmExists)
            {
                var why = !devKvmExists ? "/dev/kvm does not exist" : "the CPU has no hardware virtualization (no vmx/svm flag in /proc/cpuinfo)";
                throw FlagError.Of($"--libvirt_type=kvm: KVM cannot run guests on this host ({why}); start the compute role with --libvirt_type=qemu (software emulation, slower but works everywhere)");
            }
        }
    }

    /// <summary>Checks this host's /proc/cpuinfo and /dev/kvm.</summary>
    public static void CheckDomainType(string domainType) =>
        CheckDomainType(domainType, domainType == "kvm" ? File.ReadAllText("/proc/cpuinfo") : "", File.Exists("/dev/kvm"));

    /// <summary>One call to libvirt through libvirt-dbus (activating it if need be); refuses to start when it does not answer.</summary>
    public static async Task CheckReachableAsync(LibvirtDbus libvirt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(libvirt);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReachTimeout);
        try
        {
            await libvirt.ListDomainsAsync(0, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LibvirtException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = e is LibvirtException ? e.Message : $"no answer within {ReachTimeout.TotalSeconds:0}s";
            throw FlagError.Of($"--compute_driver=libvirt: cannot reach libvirt through libvirt-dbus (org.libvirt {libvirt.ConnectPath} on {LibvirtDbus.SystemBusAddress()}): {reason}; "
                + "start the system D-Bus daemon and libvirtd on this host (scripts/virt-host.sh up), or set DBUS_SYSTEM_BUS_ADDRESS");
        }
    }
}
