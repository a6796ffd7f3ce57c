using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Compute.Images;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Support;

/// <summary>
/// The machine's real libvirtd, reached through libvirt-dbus on the system bus (started by scripts/virt-host.sh up),
/// and the bootable test image. Missing either ignores the test, or fails it when CLOUD_TEST_REQUIRE=1.
/// </summary>
public static class TestLibvirt
{
    /// <summary>Ignores (or fails) the test unless we are root and libvirt answers on D-Bus.</summary>
    public static async Task RequireAsync()
    {
        if (Environment.UserName != "root")
        {
            TestEnv.Unavailable("the libvirt tests run as root (instance console logs are root 0600, and bridges need CAP_NET_ADMIN)");
        }
        await using var libvirt = new LibvirtDbus("/org/libvirt/QEMU", NullLogger.Instance);
        try
        {
            await LibvirtHost.CheckReachableAsync(libvirt, default);
        }
        catch (FlagException e)
        {
            TestEnv.Unavailable($"{e.Message} (scripts/virt-host.sh up)");
        }
    }

    /// <summary>The directory with vmlinuz, initrd.img and rootfs.qcow2 (<see cref="TestImage"/>).</summary>
    public static Task<string> ImageDirAsync() => TestImage.DirectoryAsync();

    /// <summary>A libvirt driver on the real host with its instances in <paramref name="instancesPath"/> (QEMU must be able to reach it).</summary>
    public static LibvirtComputeDriver Driver(string instancesPath, IImageFetcher images, string cmdline) =>
        new(new LibvirtDbus("/org/libvirt/QEMU", NullLogger.Instance), new BaseImageCache(instancesPath, images),
            instancesPath, "qemu", new LibvirtFlags { KernelCmdline = cmdline, ShutdownTimeout = 60 }, NullLogger<LibvirtComputeDriver>.Instance);

    /// <summary>Runs <c>virsh -c qemu:///system</c> (the operator's view), which must succeed.</summary>
    public static Task<string> VirshAsync(params string[] args) => Virsh.RunAsync("qemu:///system", args);
}
