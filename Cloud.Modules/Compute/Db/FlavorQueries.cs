namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the flavors table, their extra specs and the projects a private flavor is shared with.</summary>
internal static class FlavorQueries
{
    private const string Columns =
        "id AS Id, flavorid AS FlavorId, name AS Name, memory_mb AS MemoryMb, vcpus AS Vcpus, root_gb AS RootGb, swap AS Swap, " +
        "ephemeral_gb AS EphemeralGb, rxtx_factor AS RxtxFactor, is_public AS IsPublic, disabled AS Disabled, description AS Description, created_at AS CreatedAt";

    public const string List = $"SELECT {Columns} FROM flavors ORDER BY id";

    public const string ById = $"SELECT {Columns} FROM flavors WHERE id = @Id";

    public const string ByFlavorId = $"SELECT {Columns} FROM flavors WHERE flavorid = @FlavorId";

    public const string ByName = $"SELECT {Columns} FROM flavors WHERE name = @Name";

    /// <summary>By API id, else by name, in one statement (the API id wins when one flavor's id is another's name).</summary>
    public const string ByFlavorIdOrName =
        $"SELECT {Columns} FROM flavors WHERE flavorid = @IdOrName OR name = @IdOrName ORDER BY CASE WHEN flavorid = @IdOrName THEN 0 ELSE 1 END LIMIT 1";

    public const string NextId = "SELECT COALESCE(MAX(id), 0) + 1 FROM flavors";

    public const string Insert = """
        INSERT INTO flavors (id, flavorid, name, memory_mb, vcpus, root_gb, swap, ephemeral_gb, rxtx_factor, is_public, disabled, description, created_at)
        VALUES (@Id, @FlavorId, @Name, @MemoryMb, @Vcpus, @RootGb, @Swap, @EphemeralGb, @RxtxFactor, @IsPublic, 0, @Description, @CreatedAt)
        """;

    public const string UpdateDescription = "UPDATE flavors SET description = @Description WHERE id = @Id";

    public const string Delete = """
        DELETE FROM flavor_extra_specs WHERE flavor_id = @Id;
        DELETE FROM flavor_projects WHERE flavor_id = @Id;
        DELETE FROM flavors WHERE id = @Id;
        """;

    public const string ExtraSpecs = "SELECT `key` AS `Key`, value AS Value FROM flavor_extra_specs WHERE flavor_id = @Id";

    public const string UpdateExtraSpec = "UPDATE flavor_extra_specs SET value = @Value WHERE flavor_id = @Id AND `key` = @Key";

    public const string InsertExtraSpec = "INSERT INTO flavor_extra_specs (flavor_id, `key`, value) VALUES (@Id, @Key, @Value)";

    public const string DeleteExtraSpec = "DELETE FROM flavor_extra_specs WHERE flavor_id = @Id AND `key` = @Key";

    public const string Projects = "SELECT project_id FROM flavor_projects WHERE flavor_id = @Id ORDER BY project_id";

    public const string FlavorsOfProject = "SELECT flavor_id FROM flavor_projects WHERE project_id = @ProjectId";

    public const string HasProject = "SELECT COUNT(*) FROM flavor_projects WHERE flavor_id = @Id AND project_id = @ProjectId";

    public const string InsertProject = "INSERT INTO flavor_projects (flavor_id, project_id) VALUES (@Id, @ProjectId)";

    public const string DeleteProject = "DELETE FROM flavor_projects WHERE flavor_id = @Id AND project_id = @ProjectId";
}
