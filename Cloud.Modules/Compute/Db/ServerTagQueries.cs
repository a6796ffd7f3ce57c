namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the instance_tags and instance_extras tables (migration 0015).</summary>
internal static class ServerTagQueries
{
    public const string TagsOf = "SELECT instance_uuid AS InstanceUuid, tag AS Tag FROM instance_tags WHERE instance_uuid IN @Uuids ORDER BY tag";

    public const string InsertTag = "INSERT INTO instance_tags (instance_uuid, tag) VALUES (@Uuid, @Tag)";

    public const string DeleteTag = "DELETE FROM instance_tags WHERE instance_uuid = @Uuid AND tag = @Tag";

    public const string DeleteTags = "DELETE FROM instance_tags WHERE instance_uuid = @Uuid";

    public const string ExtrasOf = """
        SELECT instance_uuid AS InstanceUuid, hostname AS Hostname, trusted_certs AS TrustedCertificates, disk_config AS DiskConfig
        FROM instance_extras WHERE instance_uuid IN @Uuids
        """;

    public const string DeleteExtras = "DELETE FROM instance_extras WHERE instance_uuid = @Uuid";

    public const string InsertExtras = """
        INSERT INTO instance_extras (instance_uuid, hostname, trusted_certs, disk_config)
        VALUES (@InstanceUuid, @Hostname, @TrustedCertificates, @DiskConfig)
        """;

    public const string Touch = "UPDATE instances SET updated_at = @Now WHERE uuid = @Uuid AND deleted = 0";
}
