namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the compute_nodes table: reports of capacity, and the scheduler's claims on it.</summary>
internal static class ComputeNodeQueries
{
    private const string Columns =
        "host AS Host, hypervisor_type AS HypervisorType, vcpus AS Vcpus, memory_mb AS MemoryMb, local_gb AS LocalGb, vcpus_used AS VcpusUsed, " +
        "memory_mb_used AS MemoryMbUsed, local_gb_used AS LocalGbUsed, running_vms AS RunningVms, updated_at AS UpdatedAt";

    public const string List = $"SELECT {Columns} FROM compute_nodes ORDER BY host";

    public const string ByHost = $"SELECT {Columns} FROM compute_nodes WHERE host = @Host";

    /// <summary>A report changes capacity only: the *_used columns belong to claims.</summary>
    public const string Report = """
        UPDATE compute_nodes SET hypervisor_type = @HypervisorType, vcpus = @Vcpus, memory_mb = @MemoryMb, local_gb = @LocalGb,
            running_vms = @RunningVms, updated_at = @Now
        WHERE host = @Host
        """;

    public const string Insert = """
        INSERT INTO compute_nodes (host, hypervisor_type, vcpus, memory_mb, local_gb, running_vms, created_at, updated_at)
        VALUES (@Host, @HypervisorType, @Vcpus, @MemoryMb, @LocalGb, @RunningVms, @Now, @Now)
        """;

    /// <summary>
    /// The claim: adds an instance's resources to a host only if they still fit under the allocation ratios, in one
    /// statement, so two schedulers reading the same free capacity cannot both take it (0 rows: lost the race).
    /// </summary>
    public const string Claim = """
        UPDATE compute_nodes SET memory_mb_used = memory_mb_used + @MemoryMb, vcpus_used = vcpus_used + @Vcpus,
            local_gb_used = local_gb_used + @RootGb
        WHERE host = @Host
            AND memory_mb_used + @MemoryMb <= memory_mb * @RamRatio
            AND vcpus_used + @Vcpus <= vcpus * @CpuRatio
            AND local_gb_used + @RootGb <= local_gb * @DiskRatio
        """;

    public const string Release = """
        UPDATE compute_nodes SET memory_mb_used = memory_mb_used - @MemoryMb, vcpus_used = vcpus_used - @Vcpus,
            local_gb_used = local_gb_used - @RootGb
        WHERE host = @Host
        """;
}
