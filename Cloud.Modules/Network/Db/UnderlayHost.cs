namespace Cloud.Modules.Network.Db;

/// <summary>A row of network_underlay: a host and the address its VXLAN peers send to (its --my_ip).</summary>
public sealed class UnderlayHost
{
    public string Host { get; init; } = "";

    public string Address { get; init; } = "";
}
