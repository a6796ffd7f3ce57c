namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>An account's totals for one storage policy (a line of swift's policy_stat).</summary>
internal sealed class AccountPolicyStat
{
    public int PolicyIndex { get; init; }

    public long ContainerCount { get; init; }

    public long ObjectCount { get; init; }

    public long BytesUsed { get; init; }
}
