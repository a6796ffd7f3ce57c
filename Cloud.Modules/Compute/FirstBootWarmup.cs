using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Glance;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Compute;

/// <summary>
/// Does, when the compute role starts and in the background, the one-time work the host's first cold boot would
/// otherwise wait for (bench-boot.sh on a fresh host):
/// <list type="bullet">
/// <item>the hypervisor's own preparation (<see cref="IComputeDriver.WarmUpAsync"/>: libvirtd probing QEMU, 4.2 s);</item>
/// <item>the image reader token (Keystone's PBKDF2 of the reader's password, first use of the HTTP stack: 2 s on a
/// loaded machine). A Keystone not answering yet (all roles in one process start together) is asked again a few times;
/// after that the first fetch asks, as before.</item>
/// </list>
/// Neither is ever fatal: a background service's exception would stop the host, and a spawn does the same work itself.
/// </summary>
public sealed partial class FirstBootWarmup(IComputeDriver driver, ImageDownloadApi glance, ILogger<FirstBootWarmup> log) : BackgroundService
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WarmHypervisorAsync(stoppingToken), WarmImageReaderAsync(stoppingToken));

    private async Task WarmHypervisorAsync(CancellationToken stoppingToken)
    {
        try
        {
            await driver.WarmUpAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogHypervisorNotReady(e.Message);
        }
    }

    private async Task WarmImageReaderAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                await glance.PrepareAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogReaderNotYet(attempt, e.Message);
                await Task.Delay(Retry, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hypervisor warm-up at start failed (the first spawn will do it): {Reason}")]
    private partial void LogHypervisorNotReady(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Image reader token not issued yet at start (attempt {Attempt}): {Reason}")]
    private partial void LogReaderNotYet(int attempt, string reason);
}
