using Cloud.Modules.Compute;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// nova's select_destinations for an instance that moves (resize, unshelve): one host that passes the filters (never the
/// excluded one) and honours the policy of the instance's server group as a build does (nova's request spec keeps the
/// group: an affinity member stays with its group, an anti-affinity one away from it), claimed for the request's
/// resources before the answer, re-placed when another claim got there first.
/// </summary>
public sealed class MoveDestinations(HostManager hosts, ISchedulerDriver driver, MigrationApi migrations, IOptions<SchedulerFlags> flags, ServerGroupApi? serverGroups = null)
{
    private const int MaxClaimAttempts = 10;

    /// <summary>The chosen and claimed host, or null when none fits.</summary>
    public async Task<string?> SelectAsync(SelectDestination request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var group = serverGroups is null ? null : await serverGroups.PlacementAsync([request.InstanceUuid], cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxClaimAttempts; attempt++)
        {
            var candidates = await hosts.HostStatesAsync(cancellationToken).ConfigureAwait(false);
            if (Place(driver, candidates, request, group) is not { } chosen)
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

    /// <summary>
    /// The host the filters, the group's policy (its other members where they run now) and the weighers choose for the
    /// moving instance among <paramref name="hosts"/> other than its excluded one; null when none passes.
    /// </summary>
    public static HostState? Place(ISchedulerDriver driver, IReadOnlyList<HostState> hosts, SelectDestination request, GroupPlacement? group)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(request);
        var spec = new RequestSpec(request.MemoryMb, request.Vcpus, request.RootGb, request.AvailabilityZone, null)
        {
            Group = group is null ? null : new GroupSpread(group),
        };
        return HostPlacer.Place(driver, [.. hosts.Where(h => h.Host != request.ExcludedHost)], spec, 1) is [var chosen] ? chosen : null;
    }
}
