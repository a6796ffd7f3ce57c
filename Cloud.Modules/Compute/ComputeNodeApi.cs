using Cloud.Modules.Compute.Db;

namespace Cloud.Modules.Compute;

/// <summary>
/// Compute hosts' capacity for the scheduler: the managers report it, the scheduler reads it and claims
/// instances onto hosts. A claim is a conditional UPDATE, so two schedulers can never double-book a host, and an
/// instance already placed is never claimed again (the claim decides where it runs).
/// </summary>
public sealed class ComputeNodeApi(ComputeNodeStore store, InstanceStore instances)
{
    /// <summary>Records a host's capacity (its manager calls this with every heartbeat).</summary>
    public Task ReportAsync(string host, string hypervisorType, Drivers.HostCapacity capacity, CancellationToken cancellationToken) =>
        store.ReportAsync(host, hypervisorType, capacity, cancellationToken);

    public Task<IReadOnlyList<ComputeNode>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public Task<ComputeNode?> FindAsync(string host, CancellationToken cancellationToken) => store.FindAsync(host, cancellationToken);

    /// <summary>
    /// Claims every placement in one transaction and assigns the instances to their hosts: all or none.
    /// False when a host no longer has room (another scheduler got there first): the caller re-reads and retries.
    /// An instance deleted before it was placed is skipped.
    /// </summary>
    public async Task<bool> ClaimAsync(IReadOnlyList<Placement> placements, AllocationRatios ratios, CancellationToken cancellationToken) =>
        await store.ClaimAsync(placements, ratios, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// <see cref="ClaimAsync"/> that says which placements it claimed (an instance deleted or placed by someone else
    /// meanwhile is skipped); null when a host no longer has room (nothing done).
    /// </summary>
    public Task<IReadOnlyList<Placement>?> ClaimPlacementsAsync(IReadOnlyList<Placement> placements, AllocationRatios ratios, CancellationToken cancellationToken) =>
        store.ClaimAsync(placements, ratios, cancellationToken);

    /// <summary>
    /// Puts instances the scheduler could not place in ERROR with <paramref name="reason"/> as their fault; one that a
    /// concurrent delivery of the same request placed meanwhile keeps its placement.
    /// </summary>
    public Task FailAsync(IReadOnlyList<string> uuids, string reason, CancellationToken cancellationToken) =>
        instances.FailUnplacedAsync(uuids, reason, cancellationToken);

    /// <summary>
    /// A request's instances as they are now (deleted ones too), so a redelivered schedule_run_instance can tell which
    /// still await placement and which were placed already (<see cref="BuildStages"/>).
    /// </summary>
    public Task<IReadOnlyList<Instance>> InstancesAsync(IReadOnlyList<string> uuids, CancellationToken cancellationToken) =>
        instances.ByUuidsAsync(uuids, cancellationToken);
}
