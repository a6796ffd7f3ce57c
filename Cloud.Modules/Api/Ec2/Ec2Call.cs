using System.Globalization;
using Cloud.Modules.Identity.Ec2;
using Cloud.Modules.Kernel.Auth;

namespace Cloud.Modules.Api.Ec2;

/// <summary>
/// One authenticated EC2 action: the caller and the request's parameters, read the way botocore flattens them
/// (<c>InstanceId.1</c>, <c>Filter.1.Value.2</c>, <c>IpPermissions.1.IpRanges.1.CidrIp</c>).
/// </summary>
public sealed record Ec2Call(RequestContext Context, Ec2Request Request, string RequestId, CancellationToken CancellationToken)
{
    public string? Get(string name) => Request.GetParameter(name) is { Length: > 0 } value ? value : null;

    /// <summary>The parameter, or EC2's MissingParameter.</summary>
    public string Required(string name) =>
        Get(name) ?? throw new Ec2ActionException("MissingParameter", $"The request must contain the parameter {name}.");

    /// <summary>An integer parameter (null when absent); anything else is InvalidParameterValue.</summary>
    public long? Integer(string name) => Get(name) is not { } text ? null
        : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw new Ec2ActionException("InvalidParameterValue", $"Invalid value '{text}' for {name}: an integer is expected.");

    /// <summary>The values of <c>prefix.1</c>, <c>prefix.2</c>, … in index order.</summary>
    public IReadOnlyList<string> List(string prefix) =>
        [.. Members(prefix).Where(m => m.Tail.Length == 0).OrderBy(m => m.Index).Select(m => m.Value)];

    /// <summary>
    /// The flattened members under <paramref name="prefix"/>: for <c>Filter.2.Value.1=x</c> and prefix <c>Filter</c>,
    /// index 2, tail <c>Value.1</c>, value x. A non-numeric index is InvalidParameterValue.
    /// </summary>
    public IEnumerable<(int Index, string Tail, string Value)> Members(string prefix)
    {
        foreach (var (key, value) in Request.AllParameters)
        {
            if (!key.StartsWith(prefix + ".", StringComparison.Ordinal))
            {
                continue;
            }
            var tail = key[(prefix.Length + 1)..];
            var dot = tail.IndexOf('.', StringComparison.Ordinal);
            var indexText = dot < 0 ? tail : tail[..dot];
            if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < 1)
            {
                throw new Ec2ActionException("InvalidParameterValue", $"Invalid parameter {key}: {prefix} members are numbered from 1.");
            }
            yield return (index, dot < 0 ? "" : tail[(dot + 1)..], value);
        }
    }

    /// <summary>The structures under <paramref name="prefix"/>, each as its own call view (<c>IpPermissions.1.*</c> → <c>*</c>).</summary>
    public IReadOnlyList<Ec2Call> Structures(string prefix) =>
        [.. Members(prefix).Where(m => m.Tail.Length > 0).GroupBy(m => m.Index).OrderBy(g => g.Key).Select(g => this with
        {
            Request = Request with
            {
                QueryParameters = [.. g.Select(m => KeyValuePair.Create(m.Tail, m.Value))],
                FormParameters = [],
            },
        })];

    /// <summary><c>Filter.N.Name</c> with its <c>Filter.N.Value.M</c> values; a filter without a name or values is InvalidParameterValue.</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Values)> Filters() =>
        [.. Structures("Filter").Select(f =>
        {
            var name = f.Get("Name") ?? throw new Ec2ActionException("InvalidParameterValue", "Every Filter.N needs a Name.");
            var values = f.List("Value");
            return values.Count > 0 ? (name, values)
                : throw new Ec2ActionException("InvalidParameterValue", $"The filter '{name}' needs at least one Value.N.");
        })];
}
