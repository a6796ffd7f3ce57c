using Cloud.Modules.Compute.Db;
using Cloud.Modules.Network;

namespace Cloud.Modules.Compute;

/// <summary>Compute's answer to what the network role asks about instances (Network's port, registered by <see cref="ComputeModule"/>).</summary>
public sealed class InstanceDirectory(InstanceStore store) : IInstanceDirectory
{
    public async Task<InstanceNames?> NamesAsync(string instanceUuid, CancellationToken cancellationToken) =>
        await store.FindAsync(instanceUuid, cancellationToken).ConfigureAwait(false) is { } instance ? new InstanceNames(instance.DisplayName, instance.Name, instance.ProjectId) : null;

    public async Task<IReadOnlySet<string>> ReleasableAsync(IReadOnlyCollection<string> instanceUuids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceUuids);
        if (instanceUuids.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
        var keeping = await store.KeepingAddressesAsync(instanceUuids, cancellationToken).ConfigureAwait(false);
        return instanceUuids.Except(keeping, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
    }
}
