using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Compute;

/// <summary>
/// A rule as asked for, checked and normalised the way nova does (with nova's messages): protocol tcp, udp or icmp; TCP/UDP ports
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
            throw CloudException.Invalid($"Invalid IP protocol {Protocol}.");
        }
        if (protocol == "icmp")
        {
            if (FromPort is < -1 or > 255 || ToPort is < -1 or > 255)
            {
                throw CloudException.Invalid($"Invalid port range {FromPort}:{ToPort}. For ICMP, the type:code must be valid");
            }
        }
        else if (FromPort > ToPort)
        {
            throw CloudException.Invalid($"Invalid port range {FromPort}:{ToPort}. Former value cannot be greater than the later");
        }
        else if (FromPort is < 1 or > 65535 || ToPort is < 1 or > 65535)
        {
            throw CloudException.Invalid($"Invalid port range {FromPort}:{ToPort}. Valid {protocol.ToUpperInvariant()} ports should be between 1-65535");
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
            throw CloudException.Invalid($"Invalid cidr {text}.");
        }
        return $"{address}/{prefix}";
    }
}
