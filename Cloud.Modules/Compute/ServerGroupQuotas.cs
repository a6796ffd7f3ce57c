namespace Cloud.Modules.Compute;

/// <summary>The quota resources of server groups (nova's names, which the quota-set APIs show).</summary>
public static class ServerGroupQuotas
{
    /// <summary>Server groups per project.</summary>
    public const string Groups = "server_groups";

    /// <summary>Live servers per group.</summary>
    public const string Members = "server_group_members";
}
