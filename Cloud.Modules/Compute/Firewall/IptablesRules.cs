using System.Globalization;
using System.Text;

namespace Cloud.Modules.Compute.Firewall;

/// <summary>
/// Renders instances' filters as <c>iptables-restore --noflush</c> input for the filter table (nova's
/// IptablesFirewallDriver, in cloudd's own chains): <c>cloudd-FORWARD</c>, jumped to from FORWARD, sends bridged
/// traffic from each instance's tap through its anti-spoofing chain <c>cloudd-spoof-K</c> first, and traffic to it
/// through its ingress chain <c>cloudd-inst-K</c> (K: 12 hex digits of its UUID, as in its tap name). Declaring a
/// chain in the input flushes it, so a script rewrites exactly the chains it names and nothing else.
/// </summary>
public static class IptablesRules
{
    public const string DispatchChain = "cloudd-FORWARD";
    public const string IngressPrefix = "cloudd-inst-";
    public const string SpoofPrefix = "cloudd-spoof-";
    public const string MetadataAddress = "169.254.169.254";

    /// <summary>ip6tables FORWARD rules (without the chain) dropping bridged IPv6 from and to every instance tap (<c>tap+</c>).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Ipv6Drops { get; } =
    [
        ["-m", "physdev", "--physdev-in", "tap+", "--physdev-is-bridged", "-j", "DROP"],
        ["-m", "physdev", "--physdev-out", "tap+", "--physdev-is-bridged", "-j", "DROP"],
    ];

    /// <summary>The 12 hex digits of the UUID that name the instance's chains.</summary>
    public static string Key(string instanceUuid) => instanceUuid.Replace("-", "", StringComparison.Ordinal)[..12].ToLowerInvariant();

    public static string IngressChain(string instanceUuid) => IngressPrefix + Key(instanceUuid);

    public static string SpoofChain(string instanceUuid) => SpoofPrefix + Key(instanceUuid);

    /// <summary>
    /// One script: rewrites the chains of <paramref name="write"/>; with <paramref name="dispatch"/>, rewrites
    /// <c>cloudd-FORWARD</c> to jump to exactly those instances' chains; then deletes the chains of <paramref name="delete"/>
    /// (keys), in a second transaction because a chain cannot be deleted in the one that drops its last jump.
    /// </summary>
    public static string Script(IEnumerable<InstanceFilter> write, IReadOnlyCollection<InstanceFilter>? dispatch, IReadOnlyCollection<string> delete)
    {
        ArgumentNullException.ThrowIfNull(delete);
        var filters = write.ToList();
        var script = new StringBuilder("*filter\n");
        if (dispatch is not null)
        {
            script.Append(':').Append(DispatchChain).Append(" - [0:0]\n");
        }
        foreach (var chain in filters.SelectMany(f => new[] { IngressChain(f.InstanceUuid), SpoofChain(f.InstanceUuid) })
            .Concat(delete.SelectMany(k => new[] { IngressPrefix + k, SpoofPrefix + k })))
        {
            script.Append(':').Append(chain).Append(" - [0:0]\n");
        }
        foreach (var filter in filters)
        {
            AppendLines(script, Chains(filter));
        }
        if (dispatch is not null)
        {
            AppendLines(script, Dispatch(dispatch));
        }
        script.Append("COMMIT\n");
        if (delete.Count > 0)
        {
            script.Append("*filter\n");
            foreach (var key in delete)
            {
                script.Append("-X ").Append(IngressPrefix).Append(key).Append('\n').Append("-X ").Append(SpoofPrefix).Append(key).Append('\n');
            }
            script.Append("COMMIT\n");
        }
        return script.ToString();
    }

    /// <summary><c>cloudd-FORWARD</c>: every instance's anti-spoofing jump before any ingress jump, so a packet between two local instances is checked at both ends.</summary>
    public static IEnumerable<string> Dispatch(IEnumerable<InstanceFilter> filters)
    {
        var ordered = filters.OrderBy(f => Key(f.InstanceUuid), StringComparer.Ordinal).ToList();
        return ordered.Select(f => $"-A {DispatchChain} -m physdev --physdev-in {f.Tap} --physdev-is-bridged -j {SpoofChain(f.InstanceUuid)}")
            .Concat(ordered.Select(f => $"-A {DispatchChain} -m physdev --physdev-out {f.Tap} --physdev-is-bridged -j {IngressChain(f.InstanceUuid)}"));
    }

    /// <summary>The rules of the instance's two chains.</summary>
    public static IEnumerable<string> Chains(InstanceFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var spoof = SpoofChain(filter.InstanceUuid);
        // The instance sends only from its own MAC and fixed IP (DHCP discovery from 0.0.0.0 too), and never answers DHCP.
        yield return $"-A {spoof} -p udp -m udp --sport 67 --dport 68 -j DROP";
        yield return $"-A {spoof} -s 0.0.0.0/32 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 -m mac --mac-source {filter.Mac} -j RETURN";
        yield return $"-A {spoof} -s {filter.Address}/32 -m mac --mac-source {filter.Mac} -j RETURN";
        yield return $"-A {spoof} -j DROP";

        var ingress = IngressChain(filter.InstanceUuid);
        yield return $"-A {ingress} -m conntrack --ctstate INVALID -j DROP";
        yield return $"-A {ingress} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT";
        yield return $"-A {ingress} -s {filter.DhcpServer}/32 -p udp -m udp --sport 67 --dport 68 -j ACCEPT";
        yield return $"-A {ingress} -s {MetadataAddress}/32 -p tcp -m tcp --sport 80 -j ACCEPT";
        if (filter.SameNetwork is not null)
        {
            yield return $"-A {ingress} -s {filter.SameNetwork} -j ACCEPT";
        }
        foreach (var rule in filter.Rules)
        {
            yield return $"-A {ingress}{Source(rule.Source)} {Match(rule)} -j ACCEPT";
        }
        yield return $"-A {ingress} -j DROP";
    }

    private static string Source(string cidr) => cidr == "0.0.0.0/0" ? "" : $" -s {cidr}";

    private static string Match(IngressRule rule)
    {
        var from = rule.FromPort.ToString(CultureInfo.InvariantCulture);
        var to = rule.ToPort.ToString(CultureInfo.InvariantCulture);
        if (rule.Protocol == "icmp")
        {
            return rule.FromPort < 0 ? "-p icmp" : rule.ToPort < 0 ? $"-p icmp -m icmp --icmp-type {from}" : $"-p icmp -m icmp --icmp-type {from}/{to}";
        }
        return $"-p {rule.Protocol} -m {rule.Protocol} --dport {(rule.FromPort == rule.ToPort ? from : $"{from}:{to}")}";
    }

    private static void AppendLines(StringBuilder script, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            script.Append(line).Append('\n');
        }
    }
}
