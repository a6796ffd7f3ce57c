namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the flavors table.</summary>
internal static class FlavorQueries
{
    private const string Columns = "id AS Id, name AS Name, memory_mb AS MemoryMb, vcpus AS Vcpus, root_gb AS RootGb, created_at AS CreatedAt";

    public const string List = $"SELECT {Columns} FROM flavors ORDER BY id";

    public const string ById = $"SELECT {Columns} FROM flavors WHERE id = @Id";

    public const string ByName = $"SELECT {Columns} FROM flavors WHERE name = @Name";

    public const string NextId = "SELECT COALESCE(MAX(id), 0) + 1 FROM flavors";

    public const string Insert = "INSERT INTO flavors (id, name, memory_mb, vcpus, root_gb, created_at) VALUES (@Id, @Name, @MemoryMb, @Vcpus, @RootGb, @Now)";

    public const string Delete = "DELETE FROM flavors WHERE id = @Id";
}
