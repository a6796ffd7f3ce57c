namespace Cloud.Modules.Compute.Firewall;

/// <summary>Everything the host's packet filter must know about one local instance (nova's network_info plus its groups' rules).</summary>
/// <param name="InstanceUuid">The instance.</param>
/// <param name="Tap">The host side of its NIC, which the rules match with physdev.</param>
/// <param name="Mac">Its NIC's MAC: the only one it may send from.</param>
/// <param name="Address">Its fixed IP: the only source address it may use.</param>
/// <param name="DhcpServer">The network's DHCP server (the gateway), whose replies are always admitted.</param>
/// <param name="SameNetwork">The instance's fixed network when <c>--allow_same_net_traffic</c> admits it without a rule; else null.</param>
/// <param name="Rules">Its groups' rules, in a stable order.</param>
public sealed record InstanceFilter(
    string InstanceUuid,
    string Tap,
    string Mac,
    string Address,
    string DhcpServer,
    string? SameNetwork,
    IReadOnlyList<IngressRule> Rules);
