namespace Cloud.Modules.Volume.Db;

/// <summary>What a project holds against its volume quotas.</summary>
public sealed class VolumeUsage
{
    public long Volumes { get; init; }

    public long Gigabytes { get; init; }
}
