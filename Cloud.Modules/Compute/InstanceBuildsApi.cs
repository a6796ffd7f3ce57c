using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Volume;

namespace Cloud.Modules.Compute;

/// <summary>
/// The instances in a transitional state (building, deleting), for the scheduler's reconciler to finish or fail
/// those a lost message, an outage or a dead host left there. Every change takes the instance as the reconciler read
/// it and returns false, doing nothing, when it has meanwhile changed (another scheduler, or its host, got there first).
/// </summary>
public sealed class InstanceBuildsApi(InstanceBuildStore store, InstanceAddressRelease addresses, VolumeApi? volumes = null)
{
    /// <summary>Live instances still building, or being deleted.</summary>
    public Task<IReadOnlyList<Instance>> InFlightAsync(CancellationToken cancellationToken) => store.InFlightAsync(cancellationToken);

    /// <summary>
    /// Puts the instance in ERROR with <paramref name="fault"/> and gives its fixed IP back. With
    /// <paramref name="releaseClaim"/> it also leaves its host and the host's claim is given back; without, both stay
    /// until it is deleted (its guest may exist there, and the delete reaches the host through them).
    /// </summary>
    public async Task<bool> FailAsync(Instance read, string fault, bool releaseClaim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (!await store.FailAsync(read, fault, releaseClaim, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        await addresses.ReleaseAsync(read.Uuid, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Takes a building instance off its host, back to scheduling for a new placement: the claim and any fixed IP the
    /// old host got for it are given back (the new host asks for its own).
    /// </summary>
    public async Task<bool> UnplaceAsync(Instance read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (!await store.UnplaceAsync(read, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        await addresses.ReleaseAsync(read.Uuid, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Records that the instance's message is being sent again now, so no other reconciler sends it before the next deadline.</summary>
    public Task<bool> TouchAsync(Instance read, CancellationToken cancellationToken) => store.TouchAsync(read, cancellationToken);

    /// <summary>
    /// Finishes a delete no host will finish (nova's local delete): marks the instance deleted, gives its claim back
    /// its fixed IP and its volumes (detached, or deleted if they were to go with it).
    /// </summary>
    public async Task<bool> FinishDeleteAsync(Instance read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (!await store.MarkDeletedAsync(read, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        await addresses.ReleaseAsync(read.Uuid, cancellationToken).ConfigureAwait(false);
        if (volumes is not null)
        {
            var context = RequestContext.Service();
            foreach (var volume in await volumes.ForInstanceAsync(context, read.Uuid, cancellationToken).ConfigureAwait(false))
            {
                await VolumeRelease.ReleaseAsync(volumes, context, volume, honourDeleteOnTermination: true, cancellationToken).ConfigureAwait(false);
            }
        }
        return true;
    }
}
