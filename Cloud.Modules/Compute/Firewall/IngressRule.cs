namespace Cloud.Modules.Compute.Firewall;

/// <summary>
/// One ingress rule as the host enforces it: a source group already resolved to its members' addresses, so each
/// rule has exactly one source.
/// </summary>
/// <param name="Protocol">tcp, udp or icmp.</param>
/// <param name="FromPort">First port; for ICMP the type, -1 for any.</param>
/// <param name="ToPort">Last port; for ICMP the code, -1 for any.</param>
/// <param name="Source">The admitted source, an IPv4 CIDR (a member's fixed IP as /32).</param>
public sealed record IngressRule(string Protocol, long FromPort, long ToPort, string Source);
