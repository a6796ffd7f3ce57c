namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the server updates the OpenStack API makes: display name and metadata.</summary>
internal static class InstanceMetadataQueries
{
    /// <summary>A server update (PUT /servers/{id}): a null field keeps its value; the description only when @SetDescription.</summary>
    public const string Update = """
        UPDATE instances SET display_name = COALESCE(@Name, display_name),
            description = CASE WHEN @SetDescription = 1 THEN @Description ELSE description END,
            access_ip_v4 = COALESCE(@AccessIpV4, access_ip_v4), access_ip_v6 = COALESCE(@AccessIpV6, access_ip_v6), updated_at = @Now
        WHERE uuid = @Uuid AND deleted = 0
        """;

    public const string DeleteAllMetadata = "DELETE FROM instance_metadata WHERE instance_uuid = @Uuid";

    public const string MetadataOf = "SELECT instance_uuid AS InstanceUuid, `key` AS `Key`, value AS Value FROM instance_metadata WHERE instance_uuid IN @Uuids";

    public const string SecurityGroupNamesOf = """
        SELECT s.instance_uuid AS InstanceUuid, g.name AS Value FROM instance_security_groups s JOIN security_groups g ON g.id = s.security_group_id
        WHERE s.instance_uuid IN @Uuids
        """;

    public const string DeleteMetadataKey = "DELETE FROM instance_metadata WHERE instance_uuid = @Uuid AND `key` = @Key";
}
