namespace Cloud.Modules.Volume.Db;

/// <summary>A row of volume_hosts: the capacity a volume host last reported.</summary>
public sealed class VolumeHostCapacity
{
    public string Host { get; init; } = "";

    public long TotalGb { get; init; }

    public long FreeGb { get; init; }

    public DateTime UpdatedAt { get; init; }
}
