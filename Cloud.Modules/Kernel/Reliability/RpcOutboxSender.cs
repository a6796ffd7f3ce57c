using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Kernel.Reliability;

/// <summary>
/// Re-sends the casts left in <c>rpc_outbox</c> every <see cref="Interval"/> (<see cref="RpcOutbox.SendDueAsync"/>).
/// Runs in the api role, next to the APIs that write the rows and on the same database; several api processes may
/// run it at once (each row is claimed before it is sent).
/// </summary>
public sealed partial class RpcOutboxSender(RpcOutbox outbox, ILogger<RpcOutboxSender> logger) : BackgroundService
{
    /// <summary>How often the outbox is looked at: rows become due <see cref="RpcOutbox.WriterGrace"/> after their commit.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var sent = await outbox.SendDueAsync(stoppingToken).ConfigureAwait(false);
                if (sent > 0)
                {
                    LogResent(sent);
                }
            }
            catch (Exception e) when (TransientFaults.IsTransient(e))
            {
                LogUnavailable(TransientFaults.Classify(e)!, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "outbox: {Count} cast(s) sent again")]
    private partial void LogResent(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "outbox: the {What} is unavailable, trying again later: {Reason}")]
    private partial void LogUnavailable(string what, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "outbox: sending failed")]
    private partial void LogFailed(Exception error);
}
