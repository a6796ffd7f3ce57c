using System.Net;
using Cloud.Modules.Compute.Db;
using Cloud.Modules.Network;

namespace Cloud.Modules.Compute;

/// <summary>
/// Finds the instance behind a guest's fixed IP, for the metadata service: there is no token, the address is the
/// guest's only identity, so this is the one way in and it answers about that one instance only.
/// </summary>
public sealed class GuestApi(GuestStore store, NetworkApi network)
{
    /// <summary>The live instance holding <paramref name="address"/> as its allocated fixed IP, or null.</summary>
    public async Task<Guest?> FindByAddressAsync(IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (await network.HolderOfAsync(address.ToString(), cancellationToken).ConfigureAwait(false) is not { } holder
            || await store.ByInstanceAsync(holder.InstanceUuid, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return null;
        }
        return new Guest(found.Instance, holder.Nic, holder.NetworkId, found.Flavor, found.Metadata, found.Groups);
    }
}
