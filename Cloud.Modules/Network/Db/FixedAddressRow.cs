using System.Data.Common;

namespace Cloud.Modules.Network.Db;

/// <summary>
/// Reads a <see cref="FixedAddress"/> by ordinal from a row of <see cref="NetworkQueries.FixedAddresses"/> (uuid,
/// address, MAC, label: a fixed IP) or <see cref="FloatingIpQueries.FloatingAddresses"/> (the same and its type),
/// with the typed getters instead of Dapper's boxing mapper: a page of 1,000 servers reads one row per address.
/// </summary>
internal static class FixedAddressRow
{
    public static FixedAddress Read(DbDataReader reader) => new()
    {
        InstanceUuid = reader.GetString(0),
        Address = reader.GetString(1),
        MacAddress = reader.IsDBNull(2) ? null : reader.GetString(2),
        NetworkLabel = reader.GetString(3),
        Type = reader.FieldCount > 4 ? reader.GetString(4) : FixedAddress.Fixed,
    };
}
