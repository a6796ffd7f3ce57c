using System.Xml;

namespace Cloud.Modules.Api.Ec2;

/// <summary>
/// An answer written element by element into the response instead of built as an XDocument first: <see cref="Ec2Routes"/>
/// writes the declaration, the <c>{Action}Response</c> element and its <c>requestId</c>, and <see cref="Content"/> the rest
/// (with <see cref="Ec2XmlWriting"/>, which gives the bytes the tree gave). For the large answers: building and walking
/// the tree of DescribeInstances with 1,000 instances (some 40,000 elements) was a third of its CPU.
/// </summary>
/// <param name="Action">The EC2 action, e.g. <c>DescribeInstances</c>.</param>
/// <param name="Content">Writes the members after <c>requestId</c>; runs once the action has loaded everything it shows.</param>
public sealed record Ec2Written(string Action, Action<XmlWriter> Content);

/// <summary>A group of EC2 actions answered with <see cref="Ec2Written"/> (an <see cref="IEc2Actions"/> group may also be one).</summary>
public interface IEc2WrittenActions
{
    /// <summary>The handler of each such action, by EC2 action name.</summary>
    IReadOnlyDictionary<string, Func<Ec2Call, Task<Ec2Written>>> WrittenActions { get; }
}
