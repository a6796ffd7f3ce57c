using System.Text;
using Cloud.Modules.Identity.Ec2;
using FluentAssertions;

namespace Cloud.Tests.Integration;

/// <summary>One request exactly as a real client put it on the wire.</summary>
internal sealed record CapturedRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>What the HTTP layer will hand the verifier: raw method, Host, path, query, headers and body.</summary>
    public Ec2Request ToEc2Request() => ToEc2Request(Target, Body);

    /// <summary>The same request with <paramref name="from"/> replaced by <paramref name="to"/> in the target and the body: a tampered copy.</summary>
    public Ec2Request Tampered(string from, string to)
    {
        var body = Encoding.UTF8.GetString(Body);
        (Target.Contains(from) || body.Contains(from)).Should().BeTrue($"'{from}' must occur in the request to tamper with it");
        return ToEc2Request(Target.Replace(from, to, StringComparison.Ordinal), Encoding.UTF8.GetBytes(body.Replace(from, to, StringComparison.Ordinal)));
    }

    private Ec2Request ToEc2Request(string target, byte[] body)
    {
        var question = target.IndexOf('?');
        var (path, query) = question < 0 ? (target, null) : (target[..question], target[(question + 1)..]);
        return Ec2Request.FromRaw(Method, Header("Host") ?? "", path, query, Headers, body);
    }
}
