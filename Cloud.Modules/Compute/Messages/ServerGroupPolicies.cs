namespace Cloud.Modules.Compute;

/// <summary>The server group policies nova knows; the soft ones exist from microversion 2.15.</summary>
public static class ServerGroupPolicies
{
    public const string Affinity = "affinity";
    public const string AntiAffinity = "anti-affinity";
    public const string SoftAffinity = "soft-affinity";
    public const string SoftAntiAffinity = "soft-anti-affinity";

    /// <summary>In nova's order (its schema's enum, which its error messages print).</summary>
    public static IReadOnlyList<string> All { get; } = [AntiAffinity, Affinity, SoftAntiAffinity, SoftAffinity];

    /// <summary>The policies before 2.15.</summary>
    public static IReadOnlyList<string> Hard { get; } = [AntiAffinity, Affinity];
}
