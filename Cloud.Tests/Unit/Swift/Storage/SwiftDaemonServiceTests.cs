using Cloud.Modules.Swift.Storage;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

/// <summary>The storage role runs each consistency daemon every interval, and a failing pass does not stop it.</summary>
public sealed class SwiftDaemonServiceTests
{
    [Test]
    public async Task A_daemon_runs_again_after_a_pass_that_failed()
    {
        var daemon = new CountingDaemon(TimeSpan.FromMilliseconds(20), failFirst: true);
        using var service = new SwiftDaemonService(daemon, TimeProvider.System, NullLogger<SwiftDaemonService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await Poller.UntilAsync(() => daemon.Passes >= 3, TimeSpan.FromSeconds(30), "three passes");
        await service.StopAsync(CancellationToken.None);

        daemon.Passes.Should().BeGreaterThanOrEqualTo(3);
    }

    [Test]
    public async Task A_daemon_with_no_interval_never_runs()
    {
        var daemon = new CountingDaemon(TimeSpan.Zero, failFirst: false);
        using var service = new SwiftDaemonService(daemon, TimeProvider.System, NullLogger<SwiftDaemonService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!;

        daemon.Passes.Should().Be(0);
    }

    private sealed class CountingDaemon(TimeSpan interval, bool failFirst) : ISwiftDaemon
    {
        private int _passes;

        public int Passes => Volatile.Read(ref _passes);

        public string Name => "counting";

        public TimeSpan Interval => interval;

        public Task<string> RunOnceAsync(CancellationToken cancellationToken)
        {
            var pass = Interlocked.Increment(ref _passes);
            return failFirst && pass == 1 ? throw new IOException("disk error") : Task.FromResult($"pass {pass}");
        }
    }
}
