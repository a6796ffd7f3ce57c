namespace Cloud.Modules.Volume.Db;

/// <summary>SQL of the iscsi_targets table (nova-volume's target numbers per host).</summary>
internal static class IscsiTargetQueries
{
    /// <summary>Adds target number <c>@Num</c> of a host unless it exists.</summary>
    public const string EnsureTarget = "INSERT INTO iscsi_targets (host, target_num, volume_id) SELECT @Host, @Num, NULL "
        + "FROM (SELECT 1 AS one) AS single_row WHERE NOT EXISTS (SELECT 1 FROM iscsi_targets WHERE host = @Host AND target_num = @Num)";

    public const string MaxOfHost = "SELECT COALESCE(MAX(target_num), 0) FROM iscsi_targets WHERE host = @Host";

    public const string OfVolume = "SELECT target_num FROM iscsi_targets WHERE volume_id = @VolumeId";

    public const string FirstFree = "SELECT MIN(target_num) FROM iscsi_targets WHERE host = @Host AND volume_id IS NULL";

    /// <summary>Takes a free target; zero rows = another volume took it first.</summary>
    public const string Claim = "UPDATE iscsi_targets SET volume_id = @VolumeId WHERE host = @Host AND target_num = @Num AND volume_id IS NULL";

    public const string Release = "UPDATE iscsi_targets SET volume_id = NULL WHERE volume_id = @VolumeId";
}
