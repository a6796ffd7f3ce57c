using Cloud.Modules.Swift.Common.Ring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Runs one <see cref="ISwiftDaemon"/> every interval inside the swift-storage role, the first pass one interval after start.
/// A failing pass is one line, never a stack trace; the same failure again (rings still missing, the same disk error) is
/// not logged again until a pass succeeds or the failure changes.
/// </summary>
public sealed partial class SwiftDaemonService(ISwiftDaemon daemon, TimeProvider clock, ILogger<SwiftDaemonService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (daemon.Interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(daemon.Interval, clock);
        string? lastFailure = null;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                LogPass(daemon.Name, await daemon.RunOnceAsync(stoppingToken).ConfigureAwait(false));
                lastFailure = null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or RingBuilderException)
            {
                // A missing ring or a failing disk must not stop the daemon: the next pass tries again.
                if (e.Message != lastFailure)
                {
                    if (e is RingBuilderException)
                    {
                        LogNotConfigured(daemon.Name, e.Message);
                    }
                    else
                    {
                        LogFailed(daemon.Name, e.GetType().Name, e.Message);
                    }
                }
                lastFailure = e.Message;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Daemon} pass: {Summary}")]
    private partial void LogPass(string daemon, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Daemon} waits for its ring: {Reason}; build the rings with 'cloudd ring <swift_dir>/<kind>.builder create|add|rebalance' (see sample-configs/storage.conf); it retries every pass and says so again only when this changes")]
    private partial void LogNotConfigured(string daemon, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Daemon} pass failed: {Kind}: {Reason}")]
    private partial void LogFailed(string daemon, string kind, string reason);
}
