namespace Cloud.Modules.Compute.Db;

/// <summary>SQL of the server updates the OpenStack API makes: display name and metadata.</summary>
internal static class InstanceMetadataQueries
{
    public const string Rename = "UPDATE instances SET display_name = @DisplayName, updated_at = @Now WHERE uuid = @Uuid AND deleted = 0";

    public const string DeleteAllMetadata = "DELETE FROM instance_metadata WHERE instance_uuid = @Uuid";

    public const string DeleteMetadataKey = "DELETE FROM instance_metadata WHERE instance_uuid = @Uuid AND `key` = @Key";
}
