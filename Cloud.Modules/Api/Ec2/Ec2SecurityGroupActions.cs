using System.Globalization;
using System.Xml.Linq;
using Cloud.Modules.Compute;
using static Cloud.Modules.Api.Ec2.Ec2Xml;

namespace Cloud.Modules.Api.Ec2;

/// <summary>CreateSecurityGroup, DescribeSecurityGroups, AuthorizeSecurityGroupIngress, RevokeSecurityGroupIngress and DeleteSecurityGroup.</summary>
public sealed class Ec2SecurityGroupActions(SecurityGroupApi groups) : IEc2Actions
{
    public IReadOnlyDictionary<string, Func<Ec2Call, Task<XDocument>>> Actions => new Dictionary<string, Func<Ec2Call, Task<XDocument>>>
    {
        ["CreateSecurityGroup"] = CreateAsync,
        ["DescribeSecurityGroups"] = DescribeAsync,
        ["AuthorizeSecurityGroupIngress"] = AuthorizeAsync,
        ["RevokeSecurityGroupIngress"] = RevokeAsync,
        ["DeleteSecurityGroup"] = DeleteAsync,
    };

    /// <summary>The longest group name or description EC2 takes.</summary>
    private const int MaxTextLength = 255;

    private async Task<XDocument> CreateAsync(Ec2Call call)
    {
        var name = CheckedText(call, "GroupName");
        var description = CheckedText(call, "GroupDescription");
        var group = await Ec2Errors.Translate(
            groups.CreateAsync(call.Context, name, description, call.CancellationToken),
            conflict: "InvalidGroup.Duplicate").ConfigureAwait(false);
        return Response("CreateSecurityGroup", call.RequestId, Element("return", "true"), Element("groupId", Ec2SecurityGroupXml.Id(group.Id)));
    }

    /// <summary>A group name or description as EC2 (and nova's EC2 API) takes it: 1 to 255 printable ASCII characters.</summary>
    private static string CheckedText(Ec2Call call, string parameter)
    {
        var value = call.Required(parameter);
        if (value.Length > MaxTextLength)
        {
            throw new Ec2ActionException("InvalidParameterValue", $"Value ({value[..32]}...) for parameter {parameter} is invalid. Length exceeds maximum of {MaxTextLength}.");
        }
        if (value.Length == 0 || value.Any(c => c is < '\x20' or > '\x7E'))
        {
            throw new Ec2ActionException("InvalidParameterValue", $"Value ({value}) for parameter {parameter} is invalid. Content limited to printable ASCII characters.");
        }
        return value;
    }

    private async Task<XDocument> DescribeAsync(Ec2Call call)
    {
        var all = await groups.ListAsync(call.Context, allProjects: false, call.CancellationToken).ConfigureAwait(false);
        var byId = all.ToDictionary(g => g.Id);
        var names = call.List("GroupName");
        var ids = call.List("GroupId");
        var shown = names.Count == 0 && ids.Count == 0 ? all
            : [.. names.Select(n => all.FirstOrDefault(g => g.Name == n) ?? throw NotFound(n)),
               .. ids.Select(i => all.FirstOrDefault(g => Ec2SecurityGroupXml.Id(g.Id) == i) ?? throw NotFound(i))];
        return Response("DescribeSecurityGroups", call.RequestId,
            Set("securityGroupInfo", shown.DistinctBy(g => g.Id).Select(g => Ec2SecurityGroupXml.Item(g, byId))));
    }

    private async Task<XDocument> AuthorizeAsync(Ec2Call call)
    {
        var group = await TargetAsync(call).ConfigureAwait(false);
        var specs = Permissions(call);
        // Every rule is checked before the first is added, so a bad or duplicate one leaves the group as it was.
        var existing = group.Rules.Where(r => r.GroupId is null).Select(r => (r.Protocol, r.FromPort, r.ToPort, r.Cidr)).ToHashSet();
        foreach (var spec in specs.Where(s => s.SourceGroupName is null))
        {
            if (!existing.Add((spec.Protocol, spec.FromPort, spec.ToPort, spec.Cidr)))
            {
                throw new Ec2ActionException("InvalidPermission.Duplicate", $"The permission {spec.Protocol} {spec.FromPort}-{spec.ToPort} from {spec.Cidr} already exists in group {group.Name}.");
            }
        }
        foreach (var spec in specs.Where(s => s.SourceGroupName is not null))
        {
            await Ec2Errors.Translate(groups.GetAsync(call.Context, spec.SourceGroupName!, call.CancellationToken), notFound: "InvalidGroup.NotFound").ConfigureAwait(false);
        }
        foreach (var spec in specs)
        {
            await Ec2Errors.Translate(groups.AddRuleAsync(call.Context, group.Id.ToString(CultureInfo.InvariantCulture), spec, call.CancellationToken),
                notFound: "InvalidGroup.NotFound", conflict: "InvalidPermission.Duplicate").ConfigureAwait(false);
        }
        return Response("AuthorizeSecurityGroupIngress", call.RequestId, Element("return", "true"));
    }

    private async Task<XDocument> RevokeAsync(Ec2Call call)
    {
        var group = await TargetAsync(call).ConfigureAwait(false);
        foreach (var spec in Permissions(call))
        {
            await Ec2Errors.Translate(groups.RevokeRuleAsync(call.Context, group.Id.ToString(CultureInfo.InvariantCulture), spec, call.CancellationToken),
                notFound: "InvalidPermission.NotFound").ConfigureAwait(false);
        }
        return Response("RevokeSecurityGroupIngress", call.RequestId, Element("return", "true"));
    }

    private async Task<XDocument> DeleteAsync(Ec2Call call)
    {
        var group = await TargetAsync(call).ConfigureAwait(false);
        await Ec2Errors.Translate(groups.DeleteAsync(call.Context, group.Id.ToString(CultureInfo.InvariantCulture), call.CancellationToken),
            notFound: "InvalidGroup.NotFound", conflict: "DependencyViolation").ConfigureAwait(false);
        return Response("DeleteSecurityGroup", call.RequestId, Element("return", "true"));
    }

    private Task<SecurityGroup> TargetAsync(Ec2Call call) =>
        Ec2SecurityGroupXml.FindAsync(groups, call.Context, call.Get("GroupName"), call.Get("GroupId"), call.CancellationToken);

    /// <summary>
    /// The rules of <c>IpPermissions.N.*</c> (awscli and boto3), or of the legacy flat <c>IpProtocol/FromPort/ToPort/CidrIp</c>
    /// form, validated (bad protocol, ports or CIDR: InvalidParameterValue).
    /// </summary>
    private static List<SecurityGroupRuleSpec> Permissions(Ec2Call call)
    {
        var structures = call.Structures("IpPermissions");
        var permissions = structures.Count > 0 ? structures : call.Get("IpProtocol") is null ? [] : [call];
        if (permissions.Count == 0)
        {
            throw new Ec2ActionException("MissingParameter", "The request must contain the parameter IpPermissions.");
        }
        var specs = new List<SecurityGroupRuleSpec>();
        foreach (var permission in permissions)
        {
            var protocol = Protocol(permission.Required("IpProtocol"));
            var from = permission.Integer("FromPort") ?? (protocol == "icmp" ? -1 : throw new Ec2ActionException("MissingParameter", "The request must contain the parameter FromPort."));
            var to = permission.Integer("ToPort") ?? (protocol == "icmp" ? -1 : from);
            var cidrs = permission.Structures("IpRanges").Select(r => r.Required("CidrIp")).ToList();
            if (permission.Get("CidrIp") is { } flat)
            {
                cidrs.Add(flat);
            }
            var sources = permission.Structures("Groups").Select(g => g.Get("GroupName") ?? g.Required("GroupId")).ToList();
            if (permission.Get("SourceSecurityGroupName") is { } source)
            {
                sources.Add(source);
            }
            if (cidrs.Count == 0 && sources.Count == 0)
            {
                cidrs.Add("0.0.0.0/0");
            }
            specs.AddRange(cidrs.Select(c => Validated(new SecurityGroupRuleSpec(protocol, from, to, c, null))));
            specs.AddRange(sources.Select(s => Validated(new SecurityGroupRuleSpec(protocol, from, to, null, s))));
        }
        return specs;
    }

    private static SecurityGroupRuleSpec Validated(SecurityGroupRuleSpec spec)
    {
        try
        {
            return spec.Validated();
        }
        catch (Kernel.CloudException e)
        {
            throw new Ec2ActionException("InvalidParameterValue", e.Message);
        }
    }

    /// <summary>EC2 also names protocols by number (6 tcp, 17 udp, 1 icmp); -1 (all) has no nova-network rule.</summary>
    private static string Protocol(string text) => text.ToLowerInvariant() switch
    {
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        var p => p,
    };

    private static Ec2ActionException NotFound(string group) => new("InvalidGroup.NotFound", $"The security group '{group}' does not exist");
}
