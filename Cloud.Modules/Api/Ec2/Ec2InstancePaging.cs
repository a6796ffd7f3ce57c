using System.Globalization;
using Cloud.Modules.Compute;

namespace Cloud.Modules.Api.Ec2;

/// <summary>
/// DescribeInstances paging as EC2 does it: <c>MaxResults</c> (5 to 1000; not with <c>InstanceId</c>) cuts the
/// instances, in id order, after the filters; <c>nextToken</c> is answered only when more remain and names where the
/// next page starts (the last instance shown), so an instance deleted meanwhile does not break the walk.
/// </summary>
public sealed record Ec2InstancePaging(int? MaxResults, long After)
{
    public const int Smallest = 5;
    public const int Largest = 1000;

    /// <summary>The request's paging parameters; EC2's error codes when they are wrong.</summary>
    public static Ec2InstancePaging Of(Ec2Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        int? max = null;
        if (call.Get("MaxResults") is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) || asked is < Smallest or > Largest)
            {
                throw new Ec2ActionException("InvalidParameterValue", $"Value ( {text} ) for parameter maxResults is invalid. Expecting a value between {Smallest} and {Largest}.");
            }
            if (call.List("InstanceId").Count > 0)
            {
                throw new Ec2ActionException("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
            }
            max = asked;
        }
        var after = 0L;
        if (call.Get("NextToken") is { } token && !Ec2Ids.TryParseInstance(token, out after))
        {
            throw new Ec2ActionException("InvalidParameterValue", $"Invalid value '{token}' for parameter nextToken.");
        }
        return new Ec2InstancePaging(max, after);
    }

    /// <summary>The instances of this page, in id order, and the token of the next page (null on the last).</summary>
    public (List<Instance> Page, string? NextToken) Apply(IEnumerable<Instance> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var rest = instances.Where(i => i.Id > After).OrderBy(i => i.Id).ToList();
        if (MaxResults is not { } max || rest.Count <= max)
        {
            return (rest, null);
        }
        var page = rest.GetRange(0, max);
        return (page, page[^1].Ec2Id);
    }
}
