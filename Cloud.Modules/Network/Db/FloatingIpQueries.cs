namespace Cloud.Modules.Network.Db;

/// <summary>SQL of the floating_ips table.</summary>
internal static class FloatingIpQueries
{
    private const string Columns = "id AS Id, address AS Address, pool AS Pool, interface AS Interface, project_id AS ProjectId, "
        + "fixed_address AS FixedAddress, instance_uuid AS InstanceUuid, host AS Host, auto_assigned AS AutoAssigned";

    public const string All = $"SELECT {Columns} FROM floating_ips ORDER BY id";

    public const string OfProject = $"SELECT {Columns} FROM floating_ips WHERE project_id = @ProjectId ORDER BY id";

    public const string ById = $"SELECT {Columns} FROM floating_ips WHERE id = @Id";

    public const string ByAddress = $"SELECT {Columns} FROM floating_ips WHERE address = @Address";

    public const string InAddresses = $"SELECT {Columns} FROM floating_ips WHERE address IN @Addresses ORDER BY id";

    public const string OfInstances = $"SELECT {Columns} FROM floating_ips WHERE instance_uuid IN @Uuids ORDER BY id";

    public const string AssociatedOnHost = $"SELECT {Columns} FROM floating_ips WHERE host = @Host AND fixed_address IS NOT NULL ORDER BY id";

    /// <summary>The associated floating IPs of some instances, as the APIs show them (with their fixed IP's MAC and network label).</summary>
    public const string FloatingAddresses = """
        SELECT fl.instance_uuid AS InstanceUuid, fl.address AS Address, f.mac_address AS MacAddress, n.label AS NetworkLabel, 'floating' AS Type
        FROM floating_ips fl JOIN fixed_ips f ON f.address = fl.fixed_address JOIN networks n ON n.id = f.network_id
        WHERE fl.instance_uuid IN @Uuids
        ORDER BY fl.id
        """;

    public const string Pools = "SELECT DISTINCT pool FROM floating_ips ORDER BY pool";

    public const string MaxId = "SELECT COALESCE(MAX(id), 0) FROM floating_ips";

    public const string Insert = "INSERT INTO floating_ips (id, address, pool, interface, project_id, fixed_address, instance_uuid, host, auto_assigned, created_at) "
        + "VALUES (@Id, @Address, @Pool, @Interface, NULL, NULL, NULL, NULL, 0, @Now)";

    public const string Delete = "DELETE FROM floating_ips WHERE address IN @Addresses";

    /// <summary>Quota usage: auto-assigned addresses do not count (nova's use_quota = not auto_assigned).</summary>
    public const string CountOfProject = "SELECT COUNT(*) FROM floating_ips WHERE project_id = @ProjectId AND auto_assigned = 0";

    public const string CountOfPool = "SELECT COUNT(*) FROM floating_ips WHERE pool = @Pool";

    public const string FirstFree = "SELECT id FROM floating_ips WHERE pool = @Pool AND project_id IS NULL ORDER BY id LIMIT 1";

    /// <summary>Takes the row only while it is free: of two racing allocators exactly one changes it.</summary>
    public const string Allocate = "UPDATE floating_ips SET project_id = @ProjectId, auto_assigned = @AutoAssigned, updated_at = @Now WHERE id = @Id AND project_id IS NULL";

    public const string Associate = "UPDATE floating_ips SET fixed_address = @FixedAddress, instance_uuid = @InstanceUuid, host = @Host, updated_at = @Now WHERE id = @Id";

    public const string Disassociate = "UPDATE floating_ips SET fixed_address = NULL, instance_uuid = NULL, host = NULL, updated_at = @Now WHERE id = @Id";

    public const string Release = "UPDATE floating_ips SET project_id = NULL, auto_assigned = 0, fixed_address = NULL, instance_uuid = NULL, host = NULL, updated_at = @Now WHERE id = @Id";
}
