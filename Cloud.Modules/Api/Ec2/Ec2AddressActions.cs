using System.Xml.Linq;
using Cloud.Modules.Compute;
using Cloud.Modules.Kernel;
using Cloud.Modules.Network;
using static Cloud.Modules.Api.Ec2.Ec2Xml;

namespace Cloud.Modules.Api.Ec2;

/// <summary>
/// AllocateAddress, AssociateAddress, DisassociateAddress, ReleaseAddress and DescribeAddresses: floating IPs as
/// nova's EC2 API served them (EC2-Classic addresses named by their public IP).
/// </summary>
public sealed class Ec2AddressActions(FloatingIpApi floatingIps, ComputeApi compute) : IEc2Actions
{
    private const string NotFound = "InvalidAddress.NotFound";

    public IReadOnlyDictionary<string, Func<Ec2Call, Task<XDocument>>> Actions => new Dictionary<string, Func<Ec2Call, Task<XDocument>>>
    {
        ["AllocateAddress"] = AllocateAsync,
        ["AssociateAddress"] = AssociateAsync,
        ["DisassociateAddress"] = call => ReturnTrueAsync(call, "DisassociateAddress", floatingIps.DisassociateAsync(call.Context, call.Required("PublicIp"), null, call.CancellationToken)),
        ["ReleaseAddress"] = call => ReturnTrueAsync(call, "ReleaseAddress", floatingIps.ReleaseAsync(call.Context, call.Required("PublicIp"), call.CancellationToken)),
        ["DescribeAddresses"] = DescribeAsync,
    };

    private async Task<XDocument> AllocateAsync(Ec2Call call)
    {
        try
        {
            var row = await Ec2Errors.Translate(floatingIps.AllocateAsync(call.Context, null, call.CancellationToken), notFound: "InsufficientAddressCapacity").ConfigureAwait(false);
            return Response("AllocateAddress", call.RequestId, Element("publicIp", row.Address), Element("domain", "standard"));
        }
        catch (CloudException e) when (e.Kind == CloudErrorKind.Forbidden)
        {
            // nova's QuotaError(code='AddressLimitExceeded').
            throw new Ec2ActionException("AddressLimitExceeded", e.Message);
        }
    }

    private async Task<XDocument> AssociateAsync(Ec2Call call)
    {
        var address = call.Required("PublicIp");
        var instance = await Ec2Errors.Translate(compute.GetAsync(call.Context, call.Required("InstanceId"), call.CancellationToken), notFound: "InvalidInstanceID.NotFound").ConfigureAwait(false);
        await Ec2Errors.Translate(floatingIps.AssociateAsync(call.Context, address, instance.Uuid, null, call.CancellationToken), notFound: NotFound).ConfigureAwait(false);
        return Response("AssociateAddress", call.RequestId, Element("return", "true"));
    }

    private static async Task<XDocument> ReturnTrueAsync(Ec2Call call, string action, Task change)
    {
        await Ec2Errors.Translate(change, notFound: NotFound).ConfigureAwait(false);
        return Response(action, call.RequestId, Element("return", "true"));
    }

    /// <summary>The project's addresses (or the ones named); an admin sees <c>i-… (project)</c>, as nova's _format_address.</summary>
    private async Task<XDocument> DescribeAsync(Ec2Call call)
    {
        var named = call.List("PublicIp");
        var rows = new List<FloatingAddress>();
        if (named.Count == 0)
        {
            rows.AddRange(await floatingIps.ListAsync(call.Context, call.CancellationToken).ConfigureAwait(false));
        }
        foreach (var address in named)
        {
            rows.Add(await Ec2Errors.Translate(floatingIps.OwnedAsync(call.Context, address, call.CancellationToken), notFound: NotFound).ConfigureAwait(false));
        }
        var items = new List<IEnumerable<XElement>>();
        foreach (var row in rows)
        {
            var instanceId = row.InstanceUuid is { } uuid ? (await compute.GetAsync(call.Context, uuid, call.CancellationToken).ConfigureAwait(false)).Ec2Id : null;
            var shown = call.Context.IsAdmin ? $"{instanceId ?? "None"} ({row.ProjectId})" : instanceId;
            items.Add([Element("publicIp", row.Address), Element("domain", "standard"), Element("instanceId", shown ?? "")]);
        }
        return Response("DescribeAddresses", call.RequestId, Set("addressesSet", items));
    }
}
