namespace Cloud.Modules.Network.Db;

/// <summary>SQL of a fixed IP's life after allocation: reserving, dnsmasq's lease callbacks and disassociation.</summary>
internal static class FixedIpQueries
{
    private const string Columns = "address AS Address, network_id AS NetworkId, address_index AS AddressIndex, instance_uuid AS InstanceUuid, "
        + "mac_address AS MacAddress, hostname AS Hostname, reserved AS Reserved, allocated AS Allocated, leased AS Leased";

    public const string ByAddress = $"SELECT {Columns} FROM fixed_ips WHERE address = @Address";

    public const string All = $"SELECT {Columns} FROM fixed_ips ORDER BY network_id, address_index";

    /// <summary>Only a free address may be reserved: one held by an instance (even while its lease runs out) is refused.</summary>
    public const string Reserve = "UPDATE fixed_ips SET reserved = 1, updated_at = @Now WHERE address = @Address AND instance_uuid IS NULL AND allocated = 0";

    public const string Unreserve = "UPDATE fixed_ips SET reserved = 0, updated_at = @Now WHERE address = @Address";

    /// <summary>dnsmasq's add/old: the guest with this MAC holds a lease on the address.</summary>
    public const string Lease = "UPDATE fixed_ips SET leased = 1, updated_at = @Now WHERE address = @Address AND mac_address = @Mac";

    /// <summary>
    /// dnsmasq's del: the lease is gone; an address whose instance already gave it back is free again at once
    /// (nova's release_fixed_ip), one still allocated just loses its lease flag.
    /// </summary>
    public const string Release = "UPDATE fixed_ips SET leased = 0, "
        + "instance_uuid = CASE WHEN allocated = 0 THEN NULL ELSE instance_uuid END, "
        + "mac_address = CASE WHEN allocated = 0 THEN NULL ELSE mac_address END, "
        + "hostname = CASE WHEN allocated = 0 THEN NULL ELSE hostname END, updated_at = @Now "
        + "WHERE address = @Address AND mac_address = @Mac";

    /// <summary>Frees a deallocated address right away (FlatManager: no DHCP, so no lease to wait for).</summary>
    public const string Disassociate = "UPDATE fixed_ips SET instance_uuid = NULL, mac_address = NULL, hostname = NULL, leased = 0, updated_at = @Now "
        + "WHERE address = @Address AND allocated = 0";

    /// <summary>nova's _disassociate_stale_fixed_ips: deallocated, unleased, and untouched for the timeout.</summary>
    public const string DisassociateStale = "UPDATE fixed_ips SET instance_uuid = NULL, mac_address = NULL, hostname = NULL, updated_at = @Now "
        + "WHERE allocated = 0 AND leased = 0 AND instance_uuid IS NOT NULL AND updated_at < @Cutoff";
}
