namespace Cloud.Modules.Network;

/// <summary>A fixed IP the network role allocated to an instance, as the APIs show it (nova's addresses / EC2's privateIpAddress).</summary>
public sealed class FixedAddress
{
    public string InstanceUuid { get; init; } = "";

    public string Address { get; init; } = "";

    public string? MacAddress { get; init; }

    /// <summary>The network's label, the key of nova's <c>addresses</c> map (e.g. private).</summary>
    public string NetworkLabel { get; init; } = "";
}
