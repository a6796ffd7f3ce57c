using System.Net;
using Cloud.Modules.Compute.Db;
using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Kernel.Db;
using Dapper;
using static Cloud.Modules.Kernel.Db.Sql;

namespace Cloud.Modules.Compute;

/// <summary>
/// Finds the instance behind a guest's fixed IP, for the metadata service: there is no token, the address is the
/// guest's only identity, so this is the one way in and it answers about that one instance only.
/// </summary>
public sealed class GuestApi(IDbConnectionFactory db)
{
    /// <summary>The live instance holding <paramref name="address"/> as its allocated fixed IP, or null.</summary>
    public async Task<Guest?> FindByAddressAsync(IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        await using var c = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var results = await c.QueryMultipleAsync(Cmd(GuestQueries.ByAddress, new { Address = address.ToString() }, cancellationToken)).ConfigureAwait(false);
        var instance = await results.ReadSingleOrDefaultAsync<Instance>().ConfigureAwait(false);
        var nic = await results.ReadSingleOrDefaultAsync<NicRow>().ConfigureAwait(false);
        var flavor = await results.ReadSingleOrDefaultAsync<string>().ConfigureAwait(false);
        var metadata = await results.ReadAsync<MetadataRow>().ConfigureAwait(false);
        var groups = await results.ReadAsync<string>().ConfigureAwait(false);
        if (instance is null || nic is null)
        {
            return null;
        }
        return new Guest(
            instance,
            new InstanceNetwork(nic.Bridge, nic.BridgeInterface, nic.Address, nic.Mac ?? "", nic.Cidr, nic.Netmask, nic.Gateway, nic.Broadcast, nic.Dns),
            nic.NetworkId,
            flavor,
            metadata.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
            groups.AsList());
    }

    private sealed class NicRow
    {
        public string Address { get; init; } = "";

        public string? Mac { get; init; }

        public string NetworkId { get; init; } = "";

        public string Bridge { get; init; } = "";

        public string? BridgeInterface { get; init; }

        public string Cidr { get; init; } = "";

        public string Netmask { get; init; } = "";

        public string Gateway { get; init; } = "";

        public string Broadcast { get; init; } = "";

        public string? Dns { get; init; }
    }

    private sealed class MetadataRow
    {
        public string Key { get; init; } = "";

        public string Value { get; init; } = "";
    }
}
