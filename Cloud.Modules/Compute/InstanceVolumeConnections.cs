using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Compute;

/// <summary>
/// After the compute role starts, reconnects this host's instances' volumes from the database (their exports ensured by
/// the volume hosts, their CHAP secrets by this host), as <see cref="InstancePlugs"/> does for their NICs. It runs in the
/// background and retries with back-off: it needs the volume hosts' answers, and a volume role may start after this one
/// (later in the same process, or on a host that is still booting). Blocking the compute role's start on it would hold
/// every role behind it; running guests lose nothing meanwhile, as QEMU keeps what it has open.
/// </summary>
public sealed partial class InstanceVolumeConnections(
    InstanceStore instances,
    InstanceVolumes volumes,
    IOptions<CommonFlags> flags,
    TimeProvider clock,
    ILogger<InstanceVolumeConnections> log) : BackgroundService
{
    private const int Attempts = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                var local = await instances.OnHostAsync(flags.Value.Host, stoppingToken).ConfigureAwait(false);
                var failed = await volumes.ReconnectAsync(local, stoppingToken).ConfigureAwait(false);
                if (failed == 0)
                {
                    return;
                }
                LogRetrying(failed, attempt, Attempts);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e, attempt, Attempts);
            }
            if (attempt < Attempts)
            {
                await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(60).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} local volume(s) not reconnected yet (attempt {Attempt} of {Attempts})")]
    private partial void LogRetrying(int failed, int attempt, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not reconnect the local instances' volumes (attempt {Attempt} of {Attempts})")]
    private partial void LogFailed(Exception e, int attempt, int attempts);
}
