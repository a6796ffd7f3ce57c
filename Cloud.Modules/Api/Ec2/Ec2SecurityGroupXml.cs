using System.Globalization;
using System.Xml.Linq;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel.Auth;
using static Cloud.Modules.Api.Ec2.Ec2Xml;

namespace Cloud.Modules.Api.Ec2;

/// <summary>Security groups as EC2 names and shows them: <c>sg-%08x</c> ids, <c>ipPermissions</c> grouped by protocol and ports.</summary>
public static class Ec2SecurityGroupXml
{
    public static string Id(long id) => $"sg-{id:x8}";

    /// <summary>The caller's group by name or <c>sg-</c> id; InvalidGroup.NotFound otherwise (also for another project's).</summary>
    public static async Task<SecurityGroup> FindAsync(SecurityGroupApi groups, RequestContext context, string? name, string? id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groups);
        string key;
        if (id is not null)
        {
            if (!id.StartsWith("sg-", StringComparison.Ordinal) || !long.TryParse(id.AsSpan(3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number))
            {
                throw new Ec2ActionException("InvalidGroupId.Malformed", $"Invalid id: \"{id}\" (expecting \"sg-...\").");
            }
            key = number.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            key = name ?? throw new Ec2ActionException("MissingParameter", "The request must contain the parameter GroupName or GroupId.");
        }
        var group = await Ec2Errors.Translate(groups.GetAsync(context, key, cancellationToken), notFound: "InvalidGroup.NotFound").ConfigureAwait(false);
        // A numeric group *name* must not let a name lookup reach a group by id, nor an id another group's name.
        if (id is not null ? Id(group.Id) != id : group.Name != name)
        {
            throw new Ec2ActionException("InvalidGroup.NotFound", $"The security group '{id ?? name}' does not exist");
        }
        return group;
    }

    public static IEnumerable<XElement> Item(SecurityGroup group, IReadOnlyDictionary<long, SecurityGroup> byId)
    {
        ArgumentNullException.ThrowIfNull(group);
        yield return Element("ownerId", group.ProjectId);
        yield return Element("groupId", Id(group.Id));
        yield return Element("groupName", group.Name);
        yield return Element("groupDescription", group.Description);
        yield return Set("ipPermissions", group.Rules.GroupBy(r => (r.Protocol, r.FromPort, r.ToPort)).Select(p => (IEnumerable<XElement>)
        [
            Element("ipProtocol", p.Key.Protocol),
            Element("fromPort", p.Key.FromPort),
            Element("toPort", p.Key.ToPort),
            Set("groups", p.Where(r => r.GroupId is not null).Select(r => (IEnumerable<XElement>)
            [
                Element("userId", byId.TryGetValue(r.GroupId!.Value, out var g) ? g.ProjectId : group.ProjectId),
                Element("groupId", Id(r.GroupId!.Value)),
                Element("groupName", byId.TryGetValue(r.GroupId!.Value, out var n) ? n.Name : ""),
            ])),
            Set("ipRanges", p.Where(r => r.Cidr is not null).Select(r => (IEnumerable<XElement>)[Element("cidrIp", r.Cidr)])),
        ]));
        yield return Element("ipPermissionsEgress");
    }
}
