using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage;

/// <summary>Runs one <see cref="ISwiftDaemon"/> every interval inside the swift-storage role, the first pass one interval after start.</summary>
public sealed partial class SwiftDaemonService(ISwiftDaemon daemon, TimeProvider clock, ILogger<SwiftDaemonService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (daemon.Interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(daemon.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                LogPass(daemon.Name, await daemon.RunOnceAsync(stoppingToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Common.Ring.RingBuilderException)
            {
                // A missing ring or a failing disk must not stop the daemon: the next pass tries again.
                LogFailed(daemon.Name, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Daemon} pass: {Summary}")]
    private partial void LogPass(string daemon, string summary);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Daemon} pass failed")]
    private partial void LogFailed(string daemon, Exception error);
}
