namespace Cloud.Modules.Compute;

/// <summary>What a project (and, for key pairs, a user) holds against its compute quotas.</summary>
public sealed record ComputeUsage(long Instances, long Cores, long Ram, long SecurityGroups, long KeyPairs)
{
    /// <summary>The use of a quota resource by its nova name; 0 for those compute does not count.</summary>
    public long Of(string resource) => resource switch
    {
        "instances" => Instances,
        "cores" => Cores,
        "ram" => Ram,
        "security_groups" => SecurityGroups,
        "key_pairs" => KeyPairs,
        _ => 0,
    };
}
