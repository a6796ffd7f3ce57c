namespace Cloud.Modules.Compute.Db;

/// <summary>
/// The metadata service's one read: everything about the live instance holding fixed IP <c>@Address</c>, in one
/// round trip of five statements keyed by the address (the instance, its NIC and network, its flavor's name, its
/// metadata, its security groups). Reads the network role's fixed_ips and networks, the contract of 0005_network.sql.
/// </summary>
internal static class GuestQueries
{
    private const string OwnerUuid = "(SELECT instance_uuid FROM fixed_ips WHERE address = @Address AND allocated = 1)";

    public const string ByAddress = $"""
        SELECT {InstanceQueries.Columns} FROM instances WHERE deleted = 0 AND uuid = {OwnerUuid};
        SELECT f.address AS Address, f.mac_address AS Mac, n.id AS NetworkId, n.bridge AS Bridge, n.bridge_interface AS BridgeInterface,
            n.cidr AS Cidr, n.netmask AS Netmask, n.gateway AS Gateway, n.broadcast AS Broadcast, n.dns1 AS Dns
        FROM fixed_ips f JOIN networks n ON n.id = f.network_id WHERE f.address = @Address AND f.allocated = 1;
        SELECT fl.name FROM flavors fl JOIN instances i ON i.instance_type_id = fl.id WHERE i.uuid = {OwnerUuid};
        SELECT `key` AS `Key`, value AS Value FROM instance_metadata WHERE instance_uuid = {OwnerUuid} ORDER BY `key`;
        SELECT g.name FROM instance_security_groups s JOIN security_groups g ON g.id = s.security_group_id
        WHERE s.instance_uuid = {OwnerUuid} ORDER BY g.name;
        """;
}
