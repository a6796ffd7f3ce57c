namespace Cloud.Modules.Volume.Db;

/// <summary>SQL of the volume_hosts table.</summary>
internal static class VolumeHostQueries
{
    public const string Update = "UPDATE volume_hosts SET total_gb = @TotalGb, free_gb = @FreeGb, updated_at = @Now WHERE host = @Host";

    public const string Insert = "INSERT INTO volume_hosts (host, total_gb, free_gb, updated_at) VALUES (@Host, @TotalGb, @FreeGb, @Now)";

    public const string All = "SELECT host AS Host, total_gb AS TotalGb, free_gb AS FreeGb, updated_at AS UpdatedAt FROM volume_hosts ORDER BY host";
}
