using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// nova's SimpleScheduler.schedule_create_volume: the up volume host of the volume's zone with the fewest GiB allocated,
/// among those where the volume still fits under <c>--max_gigabytes</c>. One placement at a time per scheduler, and the
/// choice is written before the next is made, so a burst of creates spreads instead of piling onto one host.
/// </summary>
public sealed partial class VolumePlacement(VolumeApi volumes, IOptions<VolumeFlags> flags, ILogger<VolumePlacement> log) : IDisposable
{
    private readonly SemaphoreSlim _placing = new(1, 1);

    /// <summary>Places the volume, or fails it with the reason; returns the chosen host (null: none).</summary>
    public async Task<string?> ScheduleAsync(RequestContext context, string volumeUuid, CancellationToken cancellationToken)
    {
        var volume = await volumes.GetAsync(context, volumeUuid, cancellationToken).ConfigureAwait(false);
        if (volume.Status != VolumeStatuses.Creating || volume.Host is not null)
        {
            return volume.Host;
        }
        await _placing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var max = flags.Value.MaxGigabytes;
            var host = (await volumes.ListHostsAsync(cancellationToken).ConfigureAwait(false))
                .Where(h => h.IsUp && h.AvailabilityZone == volume.AvailabilityZone && h.AllocatedGb + volume.SizeGb <= max)
                .OrderBy(h => h.AllocatedGb).ThenBy(h => h.Host, StringComparer.Ordinal)
                .FirstOrDefault();
            if (host is null)
            {
                LogNoValidHost(volume.Uuid, volume.SizeGb, volume.AvailabilityZone);
                await volumes.PlacementFailedAsync(context, volume.Uuid,
                    $"No valid host was found. No volume host is up in zone '{volume.AvailabilityZone}' with room for {volume.SizeGb} GB under --max_gigabytes={max}.",
                    cancellationToken).ConfigureAwait(false);
                return null;
            }
            await volumes.PlaceAsync(context, volume.Uuid, host.Host, cancellationToken).ConfigureAwait(false);
            return host.Host;
        }
        finally
        {
            _placing.Release();
        }
    }

    public void Dispose() => _placing.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "no valid host for volume {Volume} of {SizeGb} GiB in zone {Zone}")]
    private partial void LogNoValidHost(string volume, long sizeGb, string zone);
}
