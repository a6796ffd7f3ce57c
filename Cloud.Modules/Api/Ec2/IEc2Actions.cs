using System.Xml.Linq;

namespace Cloud.Modules.Api.Ec2;

/// <summary>A group of EC2 actions (instances, images, key pairs, security groups) served by <see cref="Ec2Routes"/>.</summary>
public interface IEc2Actions
{
    /// <summary>The handler of each action of the group, by EC2 action name.</summary>
    IReadOnlyDictionary<string, Func<Ec2Call, Task<XDocument>>> Actions { get; }
}
