using System.Net;
using Cloud.Modules.Compute.Db;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Network;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute;

/// <summary>
/// Finds the instance behind a guest's fixed IP, for the metadata service: there is no token, the address is the
/// guest's only identity, so this is the one way in and it answers about that one instance only.
/// </summary>
public sealed class GuestApi(IDbConnectionFactory db, NetworkApi network)
{
    /// <summary>The live instance holding <paramref name="address"/> as its allocated fixed IP, or null.</summary>
    public async Task<Guest?> FindByAddressAsync(IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (await network.HolderOfAsync(address.ToString(), cancellationToken).ConfigureAwait(false) is not { } holder)
        {
            return null;
        }
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var results = await c.QueryMultipleAsync(Cmd(GuestQueries.ByInstance, new { Uuid = holder.InstanceUuid }, cancellationToken)).ConfigureAwait(false);
        var instance = await results.ReadSingleOrDefaultAsync<Instance>().ConfigureAwait(false);
        var flavor = await results.ReadSingleOrDefaultAsync<string>().ConfigureAwait(false);
        var metadata = await results.ReadAsync<MetadataRow>().ConfigureAwait(false);
        var groups = await results.ReadAsync<string>().ConfigureAwait(false);
        if (instance is null)
        {
            return null;
        }
        return new Guest(
            instance,
            holder.Nic,
            holder.NetworkId,
            flavor,
            metadata.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
            groups.AsList());
    }

    private sealed class MetadataRow
    {
        public string Key { get; init; } = "";

        public string Value { get; init; } = "";
    }
}
