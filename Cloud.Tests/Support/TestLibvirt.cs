using Cloud.Modules.Compute.Drivers.Libvirt;
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
    public const string ImageDirVariable = "CLOUD_TEST_IMAGE_DIR";
    private static readonly SemaphoreSlim ImageBuild = new(1, 1);

    /// <summary>Ignores (or fails) the test unless we are root and libvirt answers on D-Bus.</summary>
    public static async Task RequireAsync()
    {
        if (Environment.UserName != "root")
        {
            Skip("the libvirt tests run as root (instance console logs are root 0600, and bridges need CAP_NET_ADMIN)");
        }
        await using var libvirt = new LibvirtDbus("/org/libvirt/QEMU", NullLogger.Instance);
        try
        {
            await LibvirtHost.CheckReachableAsync(libvirt, default);
        }
        catch (FlagException e)
        {
            Skip($"{e.Message} (scripts/virt-host.sh up)");
        }
    }

    /// <summary>The directory with vmlinuz, initrd.img and rootfs.qcow2: $CLOUD_TEST_IMAGE_DIR, or built once with the project's script.</summary>
    public static async Task<string> ImageDirAsync()
    {
        if (Environment.GetEnvironmentVariable(ImageDirVariable) is { Length: > 0 } given)
        {
            return given;
        }
        var root = FindRoot();
        var script = new[] { Path.Combine(root, "scripts", "make-test-image.sh"), Path.Combine(root, "..", "shared", "research", "make-test-image.sh") }
            .FirstOrDefault(File.Exists);
        if (script is null)
        {
            Skip($"set {ImageDirVariable} to a directory with vmlinuz, initrd.img and rootfs.qcow2 (no make-test-image.sh found)");
        }
        var dir = Path.Combine(Path.GetTempPath(), "cloudd-test-image");
        await ImageBuild.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(dir, "rootfs.qcow2")) || !File.Exists(Path.Combine(dir, "initrd.img")))
            {
                var run = await ExternalTool.RunAsync("/bin/bash", [script!, dir], Path.GetTempPath(),
                    environment: new Dictionary<string, string> { ["MAKE_DISK"] = "1" }, timeout: TimeSpan.FromMinutes(5));
                if (run.ExitCode != 0)
                {
                    Assert.Fail($"building the test image failed: {run}");
                }
            }
        }
        finally
        {
            ImageBuild.Release();
        }
        return dir;
    }

    /// <summary>Runs <c>virsh -c qemu:///system</c> (the operator's view), which must succeed.</summary>
    public static async Task<string> VirshAsync(params string[] args)
    {
        var run = await ExternalTool.RunAsync("/usr/bin/virsh", ["-c", "qemu:///system", .. args], Path.GetTempPath());
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return run.Stdout;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "cloud.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("cloud.sln not found above the test directory");
    }

    private static void Skip(string message)
    {
        if (Environment.GetEnvironmentVariable("CLOUD_TEST_REQUIRE") == "1")
        {
            Assert.Fail($"CLOUD_TEST_REQUIRE=1 but {message}");
        }
        Assert.Ignore(message);
    }
}
