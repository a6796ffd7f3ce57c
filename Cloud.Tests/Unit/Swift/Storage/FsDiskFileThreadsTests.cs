using Cloud.Modules.Swift.Storage.DiskFile;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

public sealed class FsDiskFileThreadsTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef";

    [Test]
    public async Task A_write_on_a_device_whose_threads_are_all_busy_fsyncs_its_directories_itself_and_completes()
    {
        using var device = new TempDir();
        using var threads = new DeviceThreads("sdb1", 1);
        using var release = new ManualResetEventSlim();
        var busy = threads.RunAsync(release.Wait);
        var file = new FsDiskFile(device.Path, 7, Hash, threads: threads);

        // The new object makes its hash and suffix directories: three directory fsyncs, two of them queued behind the busy thread.
        await Task.Run(() => file.WriteTombstone("1700000001.00000"));

        File.Exists(Path.Combine(file.HashDirectory, "1700000001.00000.ts")).Should().BeTrue();
        release.Set();
        await busy;
    }
}
