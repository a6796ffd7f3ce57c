namespace Cloud.Tests.Support;

/// <summary>
/// The project's bootable test image (scripts/make-test-image.sh: vmlinuz, initrd.img, rootfs.qcow2), built once
/// into .cache/test-image or taken from CLOUD_TEST_IMAGE_DIR (test-all.sh builds it there before the tests).
/// </summary>
public static class TestImage
{
    private static readonly SemaphoreSlim Building = new(1, 1);
    private static string? _directory;

    public static async Task<string> DirectoryAsync()
    {
        await Building.WaitAsync();
        try
        {
            return _directory ??= await BuildAsync();
        }
        finally
        {
            Building.Release();
        }
    }

    public static async Task<string> KernelAsync() => Path.Combine(await DirectoryAsync(), "vmlinuz");

    public static async Task<string> RamdiskAsync() => Path.Combine(await DirectoryAsync(), "initrd.img");

    public static async Task<string> MachineImageAsync() => Path.Combine(await DirectoryAsync(), "rootfs.qcow2");

    private static async Task<string> BuildAsync()
    {
        var directory = Environment.GetEnvironmentVariable("CLOUD_TEST_IMAGE_DIR") is { Length: > 0 } given
            ? given
            : Path.Combine(TestEnv.RepoRoot, ".cache", "test-image");
        if (File.Exists(Path.Combine(directory, "vmlinuz")) && File.Exists(Path.Combine(directory, "initrd.img")) && File.Exists(Path.Combine(directory, "rootfs.qcow2")))
        {
            return directory;
        }
        var run = await ExternalTool.RunAsync("/bin/bash", [Path.Combine(TestEnv.RepoRoot, "scripts", "make-test-image.sh"), directory], "/tmp", timeout: TimeSpan.FromMinutes(5));
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/make-test-image.sh failed: {run}");
        }
        return directory;
    }
}
