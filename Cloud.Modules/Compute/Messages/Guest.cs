using Cloud.Modules.Network;

namespace Cloud.Modules.Compute;

/// <summary>What the metadata service tells one guest about itself: found by its fixed IP (<see cref="GuestApi"/>).</summary>
/// <param name="Instance">The live instance holding the address.</param>
/// <param name="Network">Its NIC: the fixed IP, MAC and the network's netmask, gateway and DNS.</param>
/// <param name="NetworkId">The network's id.</param>
/// <param name="FlavorName">The flavor's name (EC2's instance type), or null if the flavor is gone.</param>
/// <param name="Metadata">The server metadata, by key.</param>
/// <param name="SecurityGroups">Its security groups' names, sorted.</param>
public sealed record Guest(
    Instance Instance,
    InstanceNetwork Network,
    string NetworkId,
    string? FlavorName,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> SecurityGroups);
