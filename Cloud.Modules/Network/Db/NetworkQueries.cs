namespace Cloud.Modules.Network.Db;

/// <summary>SQL of the networks and fixed_ips tables.</summary>
internal static class NetworkQueries
{
    private const string NetworkColumns = "id AS Id, label AS Label, cidr AS Cidr, netmask AS Netmask, gateway AS Gateway, broadcast AS Broadcast, "
        + "dns1 AS Dns1, bridge AS Bridge, bridge_interface AS BridgeInterface, dhcp_start AS DhcpStart, project_id AS ProjectId, vlan AS Vlan, host AS Host, created_at AS CreatedAt";

    private const string FixedIpColumns = "address AS Address, network_id AS NetworkId, address_index AS AddressIndex, instance_uuid AS InstanceUuid, "
        + "mac_address AS MacAddress, hostname AS Hostname, reserved AS Reserved, allocated AS Allocated, leased AS Leased";

    public const string ListNetworks = $"SELECT {NetworkColumns} FROM networks ORDER BY created_at, cidr";

    public const string NetworkById = $"SELECT {NetworkColumns} FROM networks WHERE id = @Id";

    public const string NetworkByCidr = $"SELECT {NetworkColumns} FROM networks WHERE cidr = @Cidr";

    public const string NetworksOfHost = $"SELECT {NetworkColumns} FROM networks WHERE host = @Host ORDER BY created_at, cidr";

    public const string InsertNetwork = "INSERT INTO networks (id, label, cidr, netmask, gateway, broadcast, dns1, bridge, bridge_interface, dhcp_start, project_id, vlan, host, created_at) "
        + "VALUES (@Id, @Label, @Cidr, @Netmask, @Gateway, @Broadcast, @Dns1, @Bridge, @BridgeInterface, @DhcpStart, @ProjectId, @Vlan, NULL, @Now)";

    public const string InsertFixedIp = "INSERT INTO fixed_ips (address, network_id, address_index, reserved, allocated, leased) VALUES (@Address, @NetworkId, @Index, @Reserved, 0, 0)";

    public const string DeleteNetwork = "DELETE FROM networks WHERE id = @Id";

    public const string DeleteFixedIps = "DELETE FROM fixed_ips WHERE network_id = @NetworkId";

    public const string CountAllocated = "SELECT COUNT(*) FROM fixed_ips WHERE network_id = @NetworkId AND allocated = 1";

    /// <summary>nova's set_network_host: a network role takes the networks nobody serves yet.</summary>
    public const string ClaimNetworks = "UPDATE networks SET host = @Host WHERE host IS NULL";

    public const string FirstFree = "SELECT address FROM fixed_ips WHERE network_id = @NetworkId AND reserved = 0 AND allocated = 0 AND instance_uuid IS NULL ORDER BY address_index LIMIT 1";

    /// <summary>Takes the address only if it is still free: of two racing allocators exactly one sees a changed row.</summary>
    public const string Allocate = "UPDATE fixed_ips SET instance_uuid = @InstanceUuid, mac_address = @Mac, hostname = @Hostname, allocated = 1, leased = 0, updated_at = @Now "
        + "WHERE address = @Address AND allocated = 0 AND reserved = 0 AND instance_uuid IS NULL";

    public const string FixedIpOfInstance = $"SELECT {FixedIpColumns} FROM fixed_ips WHERE instance_uuid = @InstanceUuid AND allocated = 1";

    public const string AllocatedInNetwork = $"SELECT {FixedIpColumns} FROM fixed_ips WHERE network_id = @NetworkId AND allocated = 1 ORDER BY address_index";

    public const string MacInUse = "SELECT COUNT(*) FROM fixed_ips WHERE mac_address = @Mac";

    /// <summary>
    /// nova's deallocate_fixed_ip: the address stays associated (instance, MAC) until its lease is gone
    /// (<see cref="FixedIpQueries.Release"/>) or <c>--fixed_ip_disassociate_timeout</c> passes, so no other instance
    /// gets it while the old guest may still use it.
    /// </summary>
    public const string Deallocate = "UPDATE fixed_ips SET allocated = 0, updated_at = @Now WHERE address = @Address AND instance_uuid = @InstanceUuid AND allocated = 1";

    public const string Allocated = $"SELECT {FixedIpColumns} FROM fixed_ips WHERE allocated = 1";

    public const string AllocatedAddress = $"SELECT {FixedIpColumns} FROM fixed_ips WHERE address = @Address AND allocated = 1";

    /// <summary>The allocated fixed IPs of some instances, as the APIs show them.</summary>
    public const string FixedAddresses = """
        SELECT f.instance_uuid AS InstanceUuid, f.address AS Address, f.mac_address AS MacAddress, n.label AS NetworkLabel
        FROM fixed_ips f JOIN networks n ON n.id = f.network_id
        WHERE f.instance_uuid IN @Uuids AND f.allocated = 1
        ORDER BY f.network_id, f.address_index
        """;
}
