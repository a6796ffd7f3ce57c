using Cloud.Modules.Compute;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// nova's select_destinations for an instance that moves (resize, unshelve): one host that passes the filters (never the
/// excluded one), claimed for the request's resources before the answer, re-placed when another claim got there first.
/// </summary>
public sealed class MoveDestinations(HostManager hosts, ISchedulerDriver driver, MigrationApi migrations, IOptions<SchedulerFlags> flags)
{
    private const int MaxClaimAttempts = 10;

    /// <summary>The chosen and claimed host, or null when none fits.</summary>
    public async Task<string?> SelectAsync(SelectDestination request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = new RequestSpec(request.MemoryMb, request.Vcpus, request.RootGb, request.AvailabilityZone, null);
        for (var attempt = 0; attempt < MaxClaimAttempts; attempt++)
        {
            var candidates = (await hosts.HostStatesAsync(cancellationToken).ConfigureAwait(false)).Where(h => h.Host != request.ExcludedHost).ToList();
            if (HostPlacer.Place(driver, candidates, spec, 1) is not [var chosen])
            {
                return null;
            }
            if (await migrations.ClaimAsync(chosen.Host, request.MemoryMb, request.Vcpus, request.RootGb, flags.Value.Ratios, cancellationToken).ConfigureAwait(false))
            {
                return chosen.Host;
            }
        }
        return null;
    }
}
