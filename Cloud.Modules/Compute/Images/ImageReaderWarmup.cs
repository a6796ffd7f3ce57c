using Cloud.Modules.Glance;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Compute.Images;

/// <summary>
/// Gets the host's image reader token when the compute role starts, in the background, so the first cold boot does not
/// wait for it: its issue (Keystone's PBKDF2 of the reader's password, first use of the HTTP stack) took 2 s of a cold
/// fetch of the test image on a loaded machine. A Keystone not answering yet (all roles in one process start together)
/// only means the first fetch asks, as before.
/// </summary>
public sealed partial class ImageReaderWarmup(ImageDownloadApi glance, ILogger<ImageReaderWarmup> log) : BackgroundService
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
                // Never fatal: a background service's exception would stop the host.
                LogNotYet(attempt, e.Message);
                await Task.Delay(Retry, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Image reader token not issued yet at start (attempt {Attempt}): {Reason}")]
    private partial void LogNotYet(int attempt, string reason);
}
