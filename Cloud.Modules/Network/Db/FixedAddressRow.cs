using System.Data.Common;
using Cloud.Modules.Kernel.Db;

namespace Cloud.Modules.Network.Db;

/// <summary>
/// Reads a <see cref="FixedAddress"/> by ordinal from a row of <see cref="NetworkQueries.FixedAddresses"/> (uuid,
/// address, MAC, label: a fixed IP) or <see cref="FloatingIpQueries.FloatingAddresses"/> (the same and its type),
/// with the typed getters instead of Dapper's boxing mapper: a page of 1,000 servers reads one row per address.
/// </summary>
internal static class FixedAddressRow
{
    public static FixedAddress Read(DbDataReader reader)
    {
        var row = DbRow.Of(reader);
        return new()
        {
            InstanceUuid = row.String(0),
            Address = row.String(1),
            MacAddress = row.StringOrNull(2),
            NetworkLabel = row.String(3),
            Type = reader.FieldCount > 4 ? row.String(4) : FixedAddress.Fixed,
        };
    }
}
