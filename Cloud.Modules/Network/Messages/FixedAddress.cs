namespace Cloud.Modules.Network;

/// <summary>
/// An address of an instance as the APIs show it (nova's addresses / EC2's privateIpAddress and ipAddress): a fixed IP
/// the network role allocated, or a floating IP associated with it (<see cref="Type"/>).
/// </summary>
public sealed class FixedAddress
{
    public string InstanceUuid { get; init; } = "";

    public string Address { get; init; } = "";

    public string? MacAddress { get; init; }

    /// <summary>The network's label, the key of nova's <c>addresses</c> map (e.g. private).</summary>
    public string NetworkLabel { get; init; } = "";

    /// <summary><c>fixed</c> or <c>floating</c> (nova's OS-EXT-IPS:type).</summary>
    public string Type { get; init; } = Fixed;

    public const string Fixed = "fixed";
    public const string Floating = "floating";
}
