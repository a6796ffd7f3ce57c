namespace Cloud.Modules.Compute;

/// <summary>
/// One ingress rule: a protocol and port range (ICMP: type and code, -1 for any) from a CIDR or from the members
/// of another group (<see cref="GroupId"/>).
/// </summary>
public sealed class SecurityGroupRule
{
    public long Id { get; init; }

    public long ParentGroupId { get; init; }

    /// <summary>tcp, udp or icmp.</summary>
    public string Protocol { get; init; } = "";

    public long FromPort { get; init; }

    public long ToPort { get; init; }

    public string? Cidr { get; init; }

    /// <summary>The source group, when the rule admits a group's members rather than a CIDR.</summary>
    public long? GroupId { get; init; }

    public DateTime CreatedAt { get; init; }
}
