namespace Cloud.Modules.Network.Db;

/// <summary>SQL of VlanManager: projects' networks and the hosts' underlay addresses (network_underlay).</summary>
internal static class VlanQueries
{
    public const string NetworkOfProject = "SELECT id FROM networks WHERE project_id = @ProjectId";

    /// <summary>Pre-created VLAN networks (manage network create without --project) waiting for a project, oldest first.</summary>
    public const string Unassigned = "SELECT id FROM networks WHERE project_id IS NULL AND vlan IS NOT NULL ORDER BY vlan";

    /// <summary>Takes the network only if it is still unassigned: of two racing projects exactly one gets it.</summary>
    public const string Assign = "UPDATE networks SET project_id = @ProjectId WHERE id = @Id AND project_id IS NULL";

    public const string TouchUnderlay = "UPDATE network_underlay SET address = @Address, updated_at = @Now WHERE host = @Host";

    public const string InsertUnderlay = "INSERT INTO network_underlay (host, address, updated_at) VALUES (@Host, @Address, @Now)";

    public const string Underlay = "SELECT host AS Host, address AS Address FROM network_underlay ORDER BY host";
}
