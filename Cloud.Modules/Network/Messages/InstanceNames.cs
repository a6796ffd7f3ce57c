namespace Cloud.Modules.Network;

/// <summary>An instance's names, from which its DHCP hostname is derived (<see cref="Hostnames.Sanitize"/>).</summary>
/// <param name="DisplayName">The name its owner gave it.</param>
/// <param name="Name">Its domain name (<c>instance-%08x</c>), the fallback.</param>
/// <param name="ProjectId">Its project: VlanManager allocates from its network, and an auto-assigned floating IP is allocated to it.</param>
public sealed record InstanceNames(string? DisplayName, string Name, string? ProjectId = null);
