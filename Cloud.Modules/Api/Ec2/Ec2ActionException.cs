namespace Cloud.Modules.Api.Ec2;

/// <summary>An EC2 request refused with one of EC2's own error codes (HTTP 400).</summary>
public sealed class Ec2ActionException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
