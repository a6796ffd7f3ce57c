namespace Cloud.Modules.Network;

/// <summary>
/// What the network role must know about instances, which Compute owns: Compute's module registers the implementation,
/// so Network never reads the instances table and its source never depends on Compute.
/// </summary>
public interface IInstanceDirectory
{
    /// <summary>The instance's names, for its DHCP hostname; null when there is no such instance.</summary>
    Task<InstanceNames?> NamesAsync(string instanceUuid, CancellationToken cancellationToken);

    /// <summary>
    /// Of <paramref name="instanceUuids"/>, those that must give their fixed IP back: gone (deleted, or no row) or failed
    /// before they ever launched (vm_state error, never launched: e.g. a compute host killed mid-boot). An instance that
    /// ran and then failed keeps its address.
    /// </summary>
    Task<IReadOnlySet<string>> ReleasableAsync(IReadOnlyCollection<string> instanceUuids, CancellationToken cancellationToken);
}
