namespace Cloud.Modules.Compute.Db;

/// <summary>What a project's live instances hold, against its quotas.</summary>
public sealed class InstanceUsage
{
    public long Instances { get; init; }

    public long Cores { get; init; }

    public long Ram { get; init; }
}
