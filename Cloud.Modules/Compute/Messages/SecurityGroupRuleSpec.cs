using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Compute;

/// <summary>
/// A rule as asked for, checked and normalised the way nova does: protocol tcp, udp or icmp; TCP/UDP ports
/// 1-65535 with from ≤ to; ICMP type and code -1 (any) to 255; a CIDR (default 0.0.0.0/0) or a source group.
/// </summary>
public sealed record SecurityGroupRuleSpec(string Protocol, long FromPort, long ToPort, string? Cidr, string? SourceGroupName)
{
    /// <summary>The normalised rule; throws Invalid naming what is wrong.</summary>
    public SecurityGroupRuleSpec Validated()
    {
        var protocol = (Protocol ?? "").Trim().ToLowerInvariant();
        if (protocol is not ("tcp" or "udp" or "icmp"))
        {
            throw CloudException.Invalid($"Invalid IP protocol {Protocol}: use tcp, udp or icmp.");
        }
        if (protocol == "icmp")
        {
            if (FromPort is < -1 or > 255 || ToPort is < -1 or > 255)
            {
                throw CloudException.Invalid($"Invalid ICMP type {FromPort} or code {ToPort}: each must be -1 (any) to 255.");
            }
        }
        else if (FromPort is < 1 or > 65535 || ToPort is < 1 or > 65535 || FromPort > ToPort)
        {
            throw CloudException.Invalid($"Invalid port range {FromPort}:{ToPort}: {protocol} ports are 1 to 65535, from not above to.");
        }
        if (Cidr is not null && SourceGroupName is not null)
        {
            throw CloudException.Invalid("A rule admits either a CIDR or a source group, not both.");
        }
        var cidr = SourceGroupName is null ? NormalisedCidr(Cidr ?? "0.0.0.0/0") : null;
        return this with { Protocol = protocol, Cidr = cidr };
    }

    /// <summary>True when <paramref name="rule"/> is this (validated) rule, with <paramref name="sourceGroupId"/> resolved.</summary>
    public bool Matches(SecurityGroupRule rule, long? sourceGroupId) =>
        rule.Protocol == Protocol && rule.FromPort == FromPort && rule.ToPort == ToPort && rule.Cidr == Cidr && rule.GroupId == sourceGroupId;

    private static string NormalisedCidr(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
        {
            throw CloudException.Invalid($"Invalid CIDR {text}: use an address and a prefix length, such as 10.0.0.0/24.");
        }
        return $"{address}/{prefix}";
    }
}
