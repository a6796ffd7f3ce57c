namespace Cloud.Modules.Volume.Db;

/// <summary>The SQL of <see cref="VolumeImageStore"/>.</summary>
internal static class VolumeImageQueries
{
    public const string Of = "SELECT volume_id AS VolumeId, `key` AS `Key`, value AS Value FROM volume_glance_metadata WHERE volume_id IN @Ids ORDER BY `key`";

    public const string Insert = "INSERT INTO volume_glance_metadata (volume_id, `key`, value) VALUES (@VolumeId, @Key, @Value)";

    public const string DeleteOf = "DELETE FROM volume_glance_metadata WHERE volume_id = @VolumeId";
}
