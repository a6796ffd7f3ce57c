using Cloud.Modules.Compute.Drivers;

namespace Cloud.Tests.Support;

/// <summary>
/// The project's test guest as the compute driver tests boot it: its three images under the ids a spec names,
/// specs named instance-7fXXXXXX (never anyone else's domain), and the markers it prints on its console.
/// </summary>
public static class TinyVm
{
    public const string Cmdline = "console=ttyS0 panic=-1";

    /// <summary>Boots under TCG on a loaded CI machine take a while.</summary>
    public static readonly TimeSpan Boot = TimeSpan.FromMinutes(3);

    public static InstanceSpec Spec() =>
        new($"instance-7f{Random.Shared.Next(0x1000000):x6}", Guid.NewGuid().ToString(), 256, 1, 1, "ami-tinyvm", "aki-tinyvm", "ari-tinyvm", null, null, "project", "user");

    /// <summary>The image files by the ids <see cref="Spec"/> names, for a <see cref="LocalImageFetcher"/>.</summary>
    public static async Task<Dictionary<string, (string, string)>> ImageFilesAsync()
    {
        var dir = await TestLibvirt.ImageDirAsync();
        return new Dictionary<string, (string, string)>
        {
            ["aki-tinyvm"] = (Path.Combine(dir, "vmlinuz"), "aki"),
            ["ari-tinyvm"] = (Path.Combine(dir, "initrd.img"), "ari"),
            ["ami-tinyvm"] = (Path.Combine(dir, "rootfs.qcow2"), "qcow2"),
        };
    }

    /// <summary>Waits for the <paramref name="count"/>th BOOTED marker since the console log was last opened (each QEMU start truncates it).</summary>
    public static Task BootedAsync(IComputeDriver driver, string name, int count = 1) => MarkerAsync(driver, name, "TINYVM: BOOTED", count);

    public static Task ReadyAsync(IComputeDriver driver, string name, int count = 1) => MarkerAsync(driver, name, "TINYVM: READY", count);

    private static Task MarkerAsync(IComputeDriver driver, string name, string marker, int count) =>
        Poller.UntilAsync(async () =>
        {
            var console = await driver.GetConsoleOutputAsync(name, default);
            return console.Split(marker).Length - 1 >= count;
        }, Boot, $"{marker} #{count} on {name}'s console");
}
