using Cloud.Modules.Swift.Storage;
using Cloud.Modules.Swift.Storage.DiskFile;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

public sealed class DeviceThreadsTests
{
    [Test]
    public async Task Work_runs_on_one_of_the_devices_threads()
    {
        using var threads = new DeviceThreads("sdb1", 2);
        string? ranOn = null;

        await threads.RunAsync(() => ranOn = Thread.CurrentThread.Name);

        ranOn.Should().StartWith(DeviceThreads.ThreadNamePrefix + "sdb1 #");
    }

    [Test]
    public async Task A_failure_on_a_device_thread_reaches_the_awaiting_caller_as_it_was_thrown()
    {
        using var threads = new DeviceThreads("sdb1", 1);

        var run = () => threads.RunAsync(() => throw new IOException("No space left on device"));

        (await run.Should().ThrowAsync<IOException>()).WithMessage("No space left on device");
        // The thread survived its work's failure.
        await threads.RunAsync(() => { });
    }

    [Test]
    public async Task Run_all_from_the_only_device_thread_runs_every_piece_without_waiting_for_itself()
    {
        using var threads = new DeviceThreads("sdb1", 1);
        var ran = new int[3];

        await threads.RunAsync(() => threads.RunAll([() => ran[0]++, () => ran[1]++, () => ran[2]++]));

        ran.Should().Equal(1, 1, 1);
    }

    [Test]
    public void Run_all_rethrows_a_pieces_failure_after_running_the_others()
    {
        using var threads = new DeviceThreads("sdb1", 2);
        var ran = 0;

        var run = () => threads.RunAll([() => Interlocked.Increment(ref ran), () => throw new IOException("EIO"), () => Interlocked.Increment(ref ran)]);

        run.Should().Throw<IOException>().WithMessage("EIO");
        ran.Should().Be(2);
    }

    [Test]
    public async Task Work_queued_by_many_callers_at_once_runs_exactly_once_each()
    {
        using var threads = new DeviceThreads("sdb1", 4);
        var ran = new int[64 * 50];

        await Task.WhenAll(Enumerable.Range(0, 64).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                var slot = caller * 50 + i;
                await threads.RunAsync(() => Interlocked.Increment(ref ran[slot]));
            }
        })));

        ran.Should().OnlyContain(count => count == 1);
    }

    [Test]
    public void Run_all_returns_only_after_a_piece_another_device_thread_took_has_finished()
    {
        using var threads = new DeviceThreads("sdb1", 2);
        using var started = new ManualResetEventSlim();
        var finished = 0;

        for (var round = 0; round < 20; round++)
        {
            started.Reset();
            Volatile.Write(ref finished, 0);
            // The first piece (on the caller) lets the second go on only once both are under way, so the second is
            // usually a device thread's when RunAll comes to wait for it.
            threads.RunAll([() => started.Wait(), () =>
            {
                started.Set();
                Thread.Yield();
                Volatile.Write(ref finished, 1);
            }]);

            Volatile.Read(ref finished).Should().Be(1);
        }
    }

    [Test]
    public async Task Dispose_finishes_the_queued_work_then_stops_the_threads_and_refuses_more()
    {
        var threads = new DeviceThreads("sdb1", 1);
        using var release = new ManualResetEventSlim();
        var first = threads.RunAsync(release.Wait);
        var second = threads.RunAsync(() => { });
        var disposing = Task.Run(threads.Dispose);
        release.Set();

        await disposing;

        first.IsCompletedSuccessfully.Should().BeTrue();
        second.IsCompletedSuccessfully.Should().BeTrue();
        var more = () => threads.RunAsync(() => { });
        await more.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Test]
    public void Run_all_after_the_threads_stopped_runs_every_piece_on_the_caller()
    {
        var threads = new DeviceThreads("sdb1", 1);
        threads.Dispose();
        var ran = new int[2];

        threads.RunAll([() => ran[0]++, () => ran[1]++]);

        ran.Should().Equal(1, 1);
    }

    [Test]
    public async Task Without_threads_per_disk_the_work_runs_on_the_callers_thread()
    {
        using var disks = new DiskThreads(new SwiftStorageFlags { SwiftThreadsPerDisk = 0 });
        var caller = Environment.CurrentManagedThreadId;
        var ranOn = 0;

        await disks.RunAsync("/srv/node/sdb1", () => ranOn = Environment.CurrentManagedThreadId);

        ranOn.Should().Be(caller);
        disks.For("/srv/node/sdb1").Should().BeNull();
    }

    [Test]
    public async Task Each_device_has_its_own_threads_and_disposing_stops_them_all()
    {
        var disks = new DiskThreads(new SwiftStorageFlags { SwiftThreadsPerDisk = 2 });
        var sdb = disks.For("/srv/node/sdb1");
        var sdc = disks.For("/srv/node/sdc1");

        sdb.Should().NotBeSameAs(sdc).And.BeSameAs(disks.For("/srv/node/sdb1"));
        disks.Dispose();

        var more = () => sdb!.RunAsync(() => { });
        await more.Should().ThrowAsync<ObjectDisposedException>();
        var again = () => disks.For("/srv/node/sdb1");
        again.Should().Throw<ObjectDisposedException>();
    }
}
